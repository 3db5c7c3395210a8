import Testing

@testable import CronDriver

/// Zones read from the real tzdata files, checked against known offsets.
@Suite struct ZoneTests {
    private func offset(_ name: String, _ instant: Int64) throws -> Int {
        try ZoneLoader.load(name).offset(at: instant / 1_000_000_000)
    }

    @Test(arguments: [
        ("America/New_York", utc(2024, 3, 10, 6, 59, 59), -5 * 3600),
        ("America/New_York", utc(2024, 3, 10, 7), -4 * 3600),
        ("America/New_York", utc(2024, 11, 3, 5, 59, 59), -4 * 3600),
        ("America/New_York", utc(2024, 11, 3, 6), -5 * 3600),
        ("America/New_York", utc(1880, 1, 1), -(4 * 3600 + 56 * 60 + 2)),
        ("America/New_York", utc(1900, 1, 1), -5 * 3600),
        ("America/New_York", utc(2200, 7, 1), -4 * 3600),
        ("Europe/Dublin", utc(2024, 1, 15), 0),
        ("Europe/Dublin", utc(2024, 7, 15), 3600),
        ("Europe/Dublin", utc(2250, 7, 15), 3600),
        ("Australia/Lord_Howe", utc(2024, 1, 15), 11 * 3600),
        ("Australia/Lord_Howe", utc(2024, 7, 15), 10 * 3600 + 1800),
        ("Asia/Kolkata", utc(2024, 7, 15), 5 * 3600 + 1800),
        ("America/Sao_Paulo", utc(2024, 1, 15), -3 * 3600),
        ("UTC", utc(2024, 1, 15), 0),
    ])
    func offsetsMatchTzdata(_ example: (String, Int64, Int)) throws {
        #expect(try offset(example.0, example.1) == example.2)
    }

    @Test func transitionsAroundAnInstant() throws {
        let zone = try ZoneLoader.load("Europe/Berlin")
        let march31 = utc(2024, 3, 31, 1) / 1_000_000_000
        #expect(zone.nextTransition(after: march31 - 1) == march31)
        #expect(zone.lastTransition(atOrBefore: march31) == march31)
        // Far beyond the table the footer rule still yields transitions.
        let march2200 = utc(2200, 3, 30, 1) / 1_000_000_000
        #expect(zone.nextTransition(after: march2200 - 86_400) == march2200)
    }

    @Test(arguments: [
        (
            "EST5EDT,M3.2.0,M11.1.0",
            PosixTZRule(
                standardOffset: -18000,
                daylight: .init(
                    offset: -14400, start: .monthWeekDay(month: 3, week: 2, weekday: 0), startTime: 7200,
                    end: .monthWeekDay(month: 11, week: 1, weekday: 0), endTime: 7200))
        ),
        ("<+0330>-3:30", PosixTZRule(standardOffset: 12600, daylight: nil)),
        (
            "IST-1GMT0,M10.5.0,M3.5.0/1",
            PosixTZRule(
                standardOffset: 3600,
                daylight: .init(
                    offset: 0, start: .monthWeekDay(month: 10, week: 5, weekday: 0), startTime: 7200,
                    end: .monthWeekDay(month: 3, week: 5, weekday: 0), endTime: 3600))
        ),
        (
            "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
            PosixTZRule(
                standardOffset: -7200,
                daylight: .init(
                    offset: -3600, start: .monthWeekDay(month: 3, week: 5, weekday: 0), startTime: -3600,
                    end: .monthWeekDay(month: 10, week: 5, weekday: 0), endTime: 0))
        ),
        (
            "XXX3YYY,J60/25,100",
            PosixTZRule(
                standardOffset: -10800,
                daylight: .init(
                    offset: -7200, start: .julianNoLeap(60), startTime: 90000, end: .julian(100), endTime: 7200))
        ),
    ])
    func posixFootersParse(_ example: (String, PosixTZRule)) {
        #expect(PosixTZRule(example.0) == example.1)
    }

    @Test(arguments: [
        "", "E", "EST", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "<UTC", "EST5EDT,M3.2.0,M11.1.0junk",
    ])
    func malformedPosixFootersAreRejected(_ text: String) {
        #expect(PosixTZRule(text) == nil)
    }

    @Test func truncatedOrForeignFilesAreErrorsNotTraps() throws {
        let bytes = try #require(ZoneLoader.readFile("/usr/share/zoneinfo/Europe/Paris"))
        for length in [0, 3, 20, 44, 60, bytes.count / 2, bytes.count - 40] {
            #expect(throws: TZif.FormatError.self) { try TZif.zone(named: "x", from: Array(bytes.prefix(length))) }
        }
        #expect(throws: TZif.FormatError.self) {
            try TZif.zone(named: "x", from: Array("not a zone file at all, no".utf8))
        }
    }

    @Test func localZoneIsNamedLocal() {
        #expect(ZoneLoader.local().name == "Local")
    }
}
