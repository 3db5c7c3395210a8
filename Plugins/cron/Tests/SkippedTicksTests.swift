import Testing

@testable import CronDriver

/// Skipped ticks are reported at WARN, bounded: the first at once, then a count per interval.
@Suite struct SkippedTicksTests {
    private let second: Int64 = 1_000_000_000

    @Test func aTickSkippedEverySecondForAMinuteWritesSixLines() {
        var skipped = SkippedTicks()
        let lines = (1...60).compactMap { skipped.skipped("t\($0)", at: Int64($0) * second) }
        #expect(lines.count == 6)  // at 1, 11, 21, 31, 41 and 51 s
        #expect(lines.first?.hasPrefix("tick at t1 skipped: earlier ticks are still waiting for the app") == true)
        #expect(lines[1] == "10 ticks skipped in the last 10 s: earlier ticks are still waiting for the app")
    }

    @Test func pendingSkipsAreReportedWithTheNextAcceptedTickAfterTheInterval() {
        var skipped = SkippedTicks()
        #expect(skipped.skipped("t1", at: 1 * second) != nil)
        #expect(skipped.skipped("t2", at: 2 * second) == nil)
        #expect(skipped.accepted(at: 3 * second) == nil)
        #expect(
            skipped.accepted(at: 11 * second)
                == "1 tick skipped in the last 10 s: earlier ticks are still waiting for the app")
        #expect(skipped.accepted(at: 30 * second) == nil)
        // After a quiet interval the next skip is reported at once.
        #expect(skipped.skipped("t40", at: 40 * second)?.hasPrefix("tick at t40 skipped") == true)
    }
}
