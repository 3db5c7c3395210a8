import Testing

@testable import CronDriver

/// `next(after:)` fed times directly, in UTC and in real tzdata zones across DST changes.
@Suite struct CronScheduleTests {
    @Test(arguments: [
        (
            "CRON_TZ=UTC * * * * *", utc(2024, 5, 1, 10, 0, 30),
            ["2024-05-01 10:01:00 +0000", "2024-05-01 10:02:00 +0000"]
        ),
        ("CRON_TZ=UTC * * * * * *", utc(2024, 5, 1, 10, 0, 0) + 1, ["2024-05-01 10:00:01 +0000"]),
        (
            "CRON_TZ=UTC */15 * * * *", utc(2024, 5, 1, 10, 7),
            ["2024-05-01 10:15:00 +0000", "2024-05-01 10:30:00 +0000"]
        ),
        ("CRON_TZ=UTC 0 30 9 * * MON-FRI", utc(2024, 5, 3, 9, 30), ["2024-05-06 09:30:00 +0000"]),
        ("CRON_TZ=UTC 0 0 1 1 *", utc(2024, 5, 1), ["2025-01-01 00:00:00 +0000"]),
        ("CRON_TZ=UTC 0 0 29 2 *", utc(2024, 3, 1), ["2028-02-29 00:00:00 +0000"]),
        (
            "CRON_TZ=UTC 0 0 13 * FRI", utc(2024, 9, 1),
            ["2024-09-06 00:00:00 +0000", "2024-09-13 00:00:00 +0000", "2024-09-20 00:00:00 +0000"]
        ),
        ("CRON_TZ=UTC 0 0 13 * ?", utc(2024, 9, 1), ["2024-09-13 00:00:00 +0000", "2024-10-13 00:00:00 +0000"]),
        ("CRON_TZ=UTC 0 0 * * 7", utc(2024, 5, 1), ["2024-05-05 00:00:00 +0000"]),
        ("CRON_TZ=UTC 0 0 */10 * MON", utc(2024, 5, 1), ["2024-05-06 00:00:00 +0000", "2024-05-11 00:00:00 +0000"]),
        ("CRON_TZ=UTC 0 0 31 * *", utc(2024, 4, 1), ["2024-05-31 00:00:00 +0000", "2024-07-31 00:00:00 +0000"]),
        ("CRON_TZ=UTC 59 59 23 31 12 *", utc(2024, 12, 31, 23, 59, 59), ["2025-12-31 23:59:59 +0000"]),
        ("CRON_TZ=UTC @yearly", utc(2024, 5, 1), ["2025-01-01 00:00:00 +0000"]),
        ("CRON_TZ=UTC @monthly", utc(2024, 12, 15), ["2025-01-01 00:00:00 +0000"]),
        ("CRON_TZ=UTC @weekly", utc(2024, 5, 1), ["2024-05-05 00:00:00 +0000"]),
        ("CRON_TZ=UTC @daily", utc(2024, 2, 28, 12), ["2024-02-29 00:00:00 +0000", "2024-03-01 00:00:00 +0000"]),
        ("CRON_TZ=UTC @hourly", utc(2024, 5, 1, 10, 0, 0), ["2024-05-01 11:00:00 +0000"]),
        ("CRON_TZ=Asia/Kolkata 0 9 * * *", utc(2024, 5, 1), ["2024-05-01 09:00:00 +0530"]),
        ("CRON_TZ=Asia/Kathmandu 0 0 * * *", utc(2024, 5, 1), ["2024-05-02 00:00:00 +0545"]),
        ("TZ=Europe/Berlin 0 0 * * *", utc(2024, 7, 1), ["2024-07-02 00:00:00 +0200"]),
        ("TZ=Europe/Berlin 0 0 * * *", utc(2024, 1, 1), ["2024-01-02 00:00:00 +0100"]),
        // Beyond the TZif table (2037): the footer rule decides the offset.
        ("CRON_TZ=America/New_York 0 12 * * *", utc(2100, 7, 1), ["2100-07-01 12:00:00 -0400"]),
        ("CRON_TZ=America/New_York 0 12 * * *", utc(2100, 12, 1), ["2100-12-01 12:00:00 -0500"]),
        ("CRON_TZ=Australia/Sydney 0 12 * * *", utc(2150, 1, 1), ["2150-01-01 12:00:00 +1100"]),
    ])
    func nextFiring(_ example: (String, Int64, [String])) throws {
        #expect(try firings(example.0, after: example.1, count: example.2.count) == example.2)
    }

    // New York 2024: clocks jump 02:00 EST → 03:00 EDT on March 10 (07:00 UTC) and fall back
    // 02:00 EDT → 01:00 EST on November 3 (06:00 UTC).

    @Test func fixedTimeInASkippedHourFiresWhenTheClockJumps() throws {
        #expect(
            try firings("CRON_TZ=America/New_York 30 2 * * *", after: utc(2024, 3, 9, 12), count: 3) == [
                "2024-03-10 03:00:00 -0400", "2024-03-11 02:30:00 -0400", "2024-03-12 02:30:00 -0400",
            ])
    }

    @Test func severalFixedTimesInASkippedHourFireOnce() throws {
        #expect(
            try firings("CRON_TZ=America/New_York 0,15,30 2 * * *", after: utc(2024, 3, 10, 5), count: 2) == [
                "2024-03-10 03:00:00 -0400", "2024-03-11 02:00:00 -0400",
            ])
    }

    @Test func fixedTimeInARepeatedHourFiresOnce() throws {
        #expect(
            try firings("CRON_TZ=America/New_York 30 1 * * *", after: utc(2024, 11, 2, 12), count: 3) == [
                "2024-11-03 01:30:00 -0400", "2024-11-04 01:30:00 -0500", "2024-11-05 01:30:00 -0500",
            ])
    }

    @Test func wildcardHourFollowsElapsedTimeAcrossFallBack() throws {
        #expect(
            try firings("CRON_TZ=America/New_York */30 * * * *", after: utc(2024, 11, 3, 4, 50), count: 5) == [
                "2024-11-03 01:00:00 -0400", "2024-11-03 01:30:00 -0400",
                "2024-11-03 01:00:00 -0500", "2024-11-03 01:30:00 -0500", "2024-11-03 02:00:00 -0500",
            ])
    }

    @Test func wildcardHourSkipsWallClockTimesThatDoNotExist() throws {
        #expect(
            try firings("CRON_TZ=America/New_York @hourly", after: utc(2024, 3, 10, 5, 30), count: 3) == [
                "2024-03-10 01:00:00 -0500", "2024-03-10 03:00:00 -0400", "2024-03-10 04:00:00 -0400",
            ])
    }

    @Test func dailyAtMidnightSurvivesZonesThatSkipMidnight() throws {
        // America/Santiago springs forward at 24:00 → 01:00 (2024-09-08): midnight does not exist.
        #expect(
            try firings("CRON_TZ=America/Santiago @daily", after: utc(2024, 9, 6, 12), count: 3) == [
                "2024-09-07 00:00:00 -0400", "2024-09-08 01:00:00 -0300", "2024-09-09 00:00:00 -0300",
            ])
    }

    @Test func southernHemisphereTransitionsAreHandled() throws {
        // Sydney: 02:00 AEST → 03:00 AEDT on 2024-10-06; 03:00 AEDT → 02:00 AEST on 2024-04-07.
        #expect(
            try firings("CRON_TZ=Australia/Sydney 30 2 * * *", after: utc(2024, 10, 5), count: 2) == [
                "2024-10-06 03:00:00 +1100", "2024-10-07 02:30:00 +1100",
            ])
        #expect(
            try firings("CRON_TZ=Australia/Sydney 30 2 * * *", after: utc(2024, 4, 6), count: 2) == [
                "2024-04-07 02:30:00 +1100", "2024-04-08 02:30:00 +1000",
            ])
    }

    @Test func everyIsMeasuredFromTheAnchorWithoutCatchUp() throws {
        let every = try schedule("@every 1m30s")
        let anchor = utc(2024, 5, 1, 10)
        #expect(every.next(after: anchor, anchor: anchor) == anchor + 90_000_000_000)
        #expect(every.next(after: anchor + 90_000_000_000, anchor: anchor) == anchor + 180_000_000_000)
        // Woken late (after 200 s): the next is the first one after now, on the anchor's grid.
        #expect(every.next(after: anchor + 200_000_000_000, anchor: anchor) == anchor + 270_000_000_000)
    }

    @Test func everySubSecond() throws {
        let every = try schedule("@every 100ms")
        #expect(every.next(after: 5, anchor: 0) == 100_000_000)
        #expect(every.next(after: 100_000_000, anchor: 0) == 200_000_000)
    }

    @Test func nextIsStrictlyAfterAndMonotonicOverAYear() throws {
        for text in [
            "CRON_TZ=Europe/London 0 */7 * * * *", "CRON_TZ=America/New_York 17 1,2,3 * * *",
            "CRON_TZ=Australia/Lord_Howe 0 2 * * *",
        ] {
            let parsed = try schedule(text)
            var now = utc(2024, 1, 1)
            var count = 0
            while now < utc(2025, 1, 1) {
                let next = try #require(parsed.next(after: now, anchor: 0))
                #expect(next > now)
                now = next
                count += 1
            }
            #expect(count > 300)
        }
    }
}
