import Testing

@testable import CronDriver

@Suite struct CronParserTests {
    private func error(_ text: String) -> String {
        do {
            _ = try CronParser.parse(text)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func fiveFieldsMeanSecondZero() throws {
        guard case .calendar(let fields) = try schedule("*/5 * * * *").kind else {
            Issue.record("not calendar")
            return
        }
        #expect(fields.seconds == 1)
        #expect(fields.minutes == CronFields.bits(0...59).filtered { $0 % 5 == 0 })
    }

    @Test func sixFieldsStartWithSeconds() throws {
        guard case .calendar(let fields) = try schedule("15,45 * * * * *").kind else {
            Issue.record("not calendar")
            return
        }
        #expect(fields.seconds == 1 << 15 | 1 << 45)
    }

    @Test(arguments: [
        ("0 0 * JAN,jul Mon-FRI", "0 0 * 1,7 1-5"),
        ("0 0 ? * 0", "0 0 * * 7"),
        ("0 0 * * sun", "0 0 * * 0"),
        ("0 0 1/10 * *", "0 0 1,11,21,31 * *"),
        ("0 0 * * 5-7", "0 0 * * 0,5,6"),
        ("0 8-18/4 * * *", "0 8,12,16 * * *"),
        ("0 0 * * */1", "0 0 * * *"),
    ])
    func equivalentSpellings(_ pair: (String, String)) throws {
        #expect(try schedule(pair.0).kind == schedule(pair.1).kind)
    }

    @Test func stepOverStarIsNotAStarForDayMatching() throws {
        guard case .calendar(let fields) = try schedule("0 0 */2 * MON").kind else {
            Issue.record("not calendar")
            return
        }
        #expect(!fields.isDayOfMonthStar)
        #expect(!fields.isDayOfWeekStar)
    }

    @Test func descriptorsMatchTheirCronForms() throws {
        #expect(try schedule("@yearly").kind == schedule("0 0 0 1 1 *").kind)
        #expect(try schedule("@annually").kind == schedule("@yearly").kind)
        #expect(try schedule("@monthly").kind == schedule("0 0 0 1 * *").kind)
        #expect(try schedule("@weekly").kind == schedule("0 0 0 * * 0").kind)
        #expect(try schedule("@daily").kind == schedule("0 0 0 * * *").kind)
        #expect(try schedule("@midnight").kind == schedule("@daily").kind)
        #expect(try schedule("@hourly").kind == schedule("0 0 * * * *").kind)
    }

    @Test(arguments: [
        ("@every 100ms", Int64(100_000_000)), ("@every 1m30s", 90_000_000_000), ("@every 1.5h", 5_400_000_000_000),
        ("@every 2h45m10.5s", 9_910_500_000_000), ("@every 250us", 250_000), ("@every 1µs", 1_000), ("@every 7ns", 7),
    ])
    func everyTakesGoDurations(_ pair: (String, Int64)) throws {
        #expect(try schedule(pair.0).kind == .every(pair.1))
    }

    @Test func zonePrefixSelectsTheZone() throws {
        #expect(try schedule("CRON_TZ=America/New_York 0 9 * * *").zone.name == "America/New_York")
        #expect(try schedule("TZ=Asia/Kolkata @daily").zone.name == "Asia/Kolkata")
        #expect(try schedule("CRON_TZ=UTC * * * * *").zone.name == "UTC")
        #expect(try schedule("* * * * *").zone.name == "Local")
    }

    @Test(arguments: [
        ("", "empty spec string"),
        ("* * * *", "expected 5 to 6 fields, found 4: [* * * *]"),
        ("* * * * * * *", "expected 5 to 6 fields, found 7: [* * * * * * *]"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* 24 * * *", "end of range (24) above maximum (23): 24"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("* * * 13 *", "end of range (13) above maximum (12): 13"),
        ("* * * * 8", "end of range (8) above maximum (7): 8"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("1/2/3 * * * *", "too many slashes: 1/2/3"),
        ("x * * * *", "failed to parse int from x: x"),
        ("1,,2 * * * *", "empty item in list: 1,,2"),
        ("* * * FOO *", "failed to parse int from FOO: FOO"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("@every", "unrecognized descriptor: @every"),
        ("@every abc", "failed to parse duration @every abc: time: invalid duration \"abc\""),
        ("@every 10", "failed to parse duration @every 10: time: missing unit in duration \"10\""),
        ("@every 5d", "failed to parse duration @every 5d: time: unknown unit \"d\" in duration \"5d\""),
        ("@every 0s", "@every needs a positive duration, got 0s"),
        ("@every -1s", "@every needs a positive duration, got -1s"),
        ("0 0 30 2 *", "day of month 30 never occurs in month 2, so it would never fire"),
        ("0 0 31 4,6 *", "day of month 31 never occurs in month 4,6, so it would never fire"),
        ("CRON_TZ=Mars/Olympus * * * * *", "provided bad location Mars/Olympus: unknown time zone Mars/Olympus"),
        ("TZ=../../etc/passwd * * * * *", "provided bad location ../../etc/passwd: time: invalid location name"),
        ("CRON_TZ=/etc/localtime * * * * *", "provided bad location /etc/localtime: time: invalid location name"),
        ("CRON_TZ=Europe/Paris", "time zone prefix must be followed by a space and a schedule"),
    ])
    func invalidSchedulesSayWhy(_ pair: (String, String)) {
        #expect(error(pair.0) == pair.1)
    }

    @Test func february29AndDayOfWeekOrAreAccepted() throws {
        _ = try schedule("0 0 29 2 *")
        _ = try schedule("0 0 30 2 MON")
    }
}

extension UInt64 {
    func filtered(_ keep: (Int) -> Bool) -> UInt64 {
        (0..<64).reduce(0) { bits, index in
            self & 1 << UInt64(index) != 0 && keep(index) ? bits | 1 << UInt64(index) : bits
        }
    }
}
