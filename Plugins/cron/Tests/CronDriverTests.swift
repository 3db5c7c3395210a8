import DriverKit
import Synchronization
import Testing

@testable import CronDriver

/// The driver as the host uses it: create from metadata, start input, stop.
@Suite struct CronDriverTests {
    private func driver(
        _ schedule: String?, clock: any WallClock = SystemClock(), recorder: EventRecorder = EventRecorder()
    )
        throws -> CronDriver
    {
        try CronDriver(configuration: configuration(schedule), clock: clock) { recorder.log($0, $1) }
    }

    /// A cron firing every second (UTC) on a manual clock at 2024-05-01 10:00 UTC, its input
    /// started into `recorder`; and the deadlines its timer waits for.
    private func everySecond(
        _ recorder: EventRecorder
    ) throws -> (ManualClock, CronDriver, AsyncStream<Int64>.AsyncIterator) {
        let clock = ManualClock(now: utc(2024, 5, 1, 10))
        let cron = try driver("CRON_TZ=UTC * * * * * *", clock: clock, recorder: recorder)
        let deadlines = clock.deadlines.makeAsyncIterator()
        try cron.startInput(emit: recorder.emit)
        return (clock, cron, deadlines)
    }

    private func createError(_ schedule: String?) -> DriverError? {
        do {
            _ = try driver(schedule)
            return nil
        } catch {
            return error as? DriverError
        }
    }

    @Test func missingScheduleIsRejected() {
        #expect(createError(nil)?.message == "tick: metadata \"schedule\" is required")
        #expect(createError("")?.message == "tick: metadata \"schedule\" is required")
        #expect(createError(nil)?.code == .invalidArgument)
    }

    @Test func invalidScheduleIsRejectedWithTheReason() {
        let error = createError("61 * * * *")
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "invalid schedule format '61 * * * *': end of range (61) above maximum (59): 61")
        #expect(
            createError("CRON_TZ=Nowhere/City @daily")?.message
                == "invalid schedule format 'CRON_TZ=Nowhere/City @daily': provided bad location Nowhere/City: unknown time zone Nowhere/City"
        )
    }

    @Test func descriptorIsInputOnlyAndExclusive() {
        let descriptor = CronDriver.descriptor
        #expect(descriptor.type == "bindings.cron")
        #expect(descriptor.directions == [.input])
        #expect(descriptor.operations.isEmpty)
        #expect(!descriptor.inputMayOverlap)
        #expect(descriptor.fields.map(\.name) == ["schedule"])
        #expect(descriptor.fields.first?.isRequired == true)
    }

    @Test func firesEmptyEventsWithZoneAndGoFormattedUTCTime() async throws {
        let clock = ManualClock(now: utc(2024, 5, 1, 10, 0, 0) + 500_000_000)
        let recorder = EventRecorder()
        let cron = try driver("CRON_TZ=Europe/Paris * * * * * *", clock: clock, recorder: recorder)
        var deadlines = clock.deadlines.makeAsyncIterator()
        try cron.startInput(emit: recorder.emit)
        #expect(await deadlines.next() == utc(2024, 5, 1, 10, 0, 1))
        clock.set(utc(2024, 5, 1, 10, 0, 1) + 123_456_780)
        #expect(await deadlines.next() == utc(2024, 5, 1, 10, 0, 2))
        clock.set(utc(2024, 5, 1, 10, 0, 2))
        _ = await deadlines.next()
        #expect(
            recorder.events == [
                ["timeZone": "Europe/Paris", "readTimeUTC": "2024-05-01 10:00:01.12345678 +0000 UTC"],
                ["timeZone": "Europe/Paris", "readTimeUTC": "2024-05-01 10:00:02 +0000 UTC"],
            ])
        await cron.stop()
    }

    @Test func scheduleWithoutZoneReportsLocal() async throws {
        let clock = ManualClock(now: utc(2024, 5, 1))
        let recorder = EventRecorder()
        let cron = try driver("@every 1s", clock: clock, recorder: recorder)
        var deadlines = clock.deadlines.makeAsyncIterator()
        try cron.startInput(emit: recorder.emit)
        clock.set(try #require(await deadlines.next()))
        _ = await deadlines.next()
        #expect(recorder.events.first?["timeZone"] == "Local")
        await cron.stop()
    }

    @Test func missedFiringsAreNotCaughtUp() async throws {
        let recorder = EventRecorder()
        var (clock, cron, deadlines) = try everySecond(recorder)
        _ = await deadlines.next()
        clock.set(utc(2024, 5, 1, 10, 0, 5) + 1)  // the host was stalled for 5 s
        #expect(await deadlines.next() == utc(2024, 5, 1, 10, 0, 6))
        #expect(recorder.events.count == 1)
        await cron.stop()
    }

    @Test func busyTickIsSkippedAndLogged() async throws {
        let recorder = EventRecorder()
        recorder.script([.busy])
        var (clock, cron, deadlines) = try everySecond(recorder)
        for second in 1...2 {
            _ = await deadlines.next()
            clock.set(utc(2024, 5, 1, 10, 0, second))
        }
        _ = await deadlines.next()
        #expect(recorder.events.count == 2)
        #expect(
            recorder.logs.withLock { $0 }.contains {
                $0.hasPrefix("warn: tick at 2024-05-01 10:00:01 +0000 UTC skipped")
            })
        await cron.stop()
    }

    @Test func stopCancelsTheTimerAndNothingFiresAfterwards() async throws {
        let recorder = EventRecorder()
        var (clock, cron, deadlines) = try everySecond(recorder)
        _ = await deadlines.next()
        #expect(cron.isTimerRunning)
        await cron.stop()
        #expect(!cron.isTimerRunning)
        #expect(clock.sleeperCount == 0)
        clock.set(utc(2024, 5, 1, 11))
        #expect(recorder.events.isEmpty)
        await cron.stop()  // stopping twice is fine
    }

    @Test func hostSayingStoppedEndsTheLoop() async throws {
        let recorder = EventRecorder()
        recorder.script([.stopped])
        var (clock, cron, deadlines) = try everySecond(recorder)
        _ = await deadlines.next()
        var emitted = recorder.emitted.makeAsyncIterator()
        clock.set(utc(2024, 5, 1, 10, 0, 1))
        _ = await emitted.next()
        await cron.stop()
        #expect(recorder.events.count == 1)
        #expect(clock.sleeperCount == 0)
        #expect(!cron.isTimerRunning)
    }

    @Test func startingInputTwiceIsRefused() async throws {
        let cron = try driver("@every 1h")
        try cron.startInput { _ in .accepted(deliveryID: 1) }
        #expect(throws: DriverError.self) { try cron.startInput { _ in .accepted(deliveryID: 1) } }
        await cron.stop()
    }

    @Test func stopWithoutStartReturns() async throws {
        try await driver("@daily").stop()
    }

    /// Real clock, real Task.sleep: `@every 20ms` fires sub-second until stopped.
    @Test(.timeLimit(.minutes(1))) func everySubSecondFiresOnTheSystemClock() async throws {
        let (ticks, sink) = AsyncStream.makeStream(of: [String: String].self)
        let count = Atomic<Int>(0)
        let cron = try driver("@every 20ms")
        let started = SystemClock().now()
        try cron.startInput { metadata in
            count.add(1, ordering: .relaxed)
            sink.yield(metadata)
            return .accepted(deliveryID: 1)
        }
        var received = 0
        for await _ in ticks {
            received += 1
            if received == 3 { break }
        }
        #expect(SystemClock().now() - started >= 60_000_000)
        await cron.stop()
        let atStop = count.load(ordering: .relaxed)
        #expect(!cron.isTimerRunning)
        #expect(count.load(ordering: .relaxed) == atStop)
    }
}
