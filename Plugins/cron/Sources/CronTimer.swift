import DriverKit
import Synchronization

/// Runs a `CronSchedule`: sleeps until each firing and hands the event to `emit`.
///
/// Ticks overlap, as in Dapr: `emit` only hands the event to the host, so a tick fires whether or
/// not the app has answered the previous one. The host bounds how many wait for their answer;
/// beyond that `emit` answers busy and the tick is skipped with a WARN line (`SkippedTicks`).
///
/// No catch-up: after a late wake-up or a skipped tick the next firing is the first one after
/// now. `stop()` cancels the loop and waits for it, so nothing is emitted once it returns.
final class CronTimer: Sendable {
    typealias Emit = @Sendable (_ metadata: [String: String]) -> EventSink.Outcome
    typealias Log = @Sendable (_ level: LogLevel, _ message: String) -> Void

    private let schedule: CronSchedule
    private let clock: any WallClock
    private let log: Log
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let running = Atomic<Bool>(false)

    init(schedule: CronSchedule, clock: any WallClock, log: @escaping Log) {
        self.schedule = schedule
        self.clock = clock
        self.log = log
    }

    /// True while the firing loop runs.
    var isRunning: Bool { running.load(ordering: .acquiring) }

    /// Starts the loop; false if it was already started.
    func start(_ emit: @escaping Emit) -> Bool {
        task.withLock { task in
            guard task == nil else { return false }
            running.store(true, ordering: .releasing)
            task = Task { [self] in
                await CronTimer.run(schedule, clock, log, emit)
                running.store(false, ordering: .releasing)
            }
            return true
        }
    }

    /// Cancels the loop and waits until it has ended. Safe to call more than once.
    func stop() async {
        let current = task.withLock { $0 }
        current?.cancel()
        await current?.value
    }

    private static func run(_ schedule: CronSchedule, _ clock: any WallClock, _ log: Log, _ emit: Emit) async {
        let anchor = clock.now()
        var after = anchor
        var skipped = SkippedTicks()
        while !Task.isCancelled {
            guard let next = schedule.next(after: after, anchor: anchor) else {
                log(.warn, "schedule has no further firing time; the binding stays idle")
                return
            }
            do { try await clock.sleep(until: next) } catch { return }
            if Task.isCancelled { return }
            let now = clock.now()
            let metadata = [
                "timeZone": schedule.zone.name,
                "readTimeUTC": GoTime.utcString(unixNanoseconds: now),
            ]
            switch emit(metadata) {
            case .accepted:
                if let line = skipped.accepted(at: now) { log(.warn, line) }
            case .busy:
                if let line = skipped.skipped(metadata["readTimeUTC"] ?? "", at: now) { log(.warn, line) }
            case .stopped: return
            }
            after = max(now, next)
        }
    }
}
