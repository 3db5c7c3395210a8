import DriverKit
import Synchronization

@testable import CronDriver

/// Unix nanoseconds of a UTC wall-clock time.
func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Int64 {
    CivilTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s).localSeconds * 1_000_000_000
}

/// `instant` as wall-clock time and offset in `zone`, e.g. `2024-03-10 03:00:00 -0400`.
func wall(_ instant: Int64?, _ zone: Zone) -> String {
    guard let instant else { return "never" }
    let seconds = instant.floorDivided(by: 1_000_000_000)
    let offset = zone.offset(at: seconds)
    let sign = offset < 0 ? "-" : "+"
    let magnitude = abs(offset)
    return CivilTime(localSeconds: seconds + Int64(offset)).description
        + " \(sign)\((magnitude / 3600).padded(2))\((magnitude / 60 % 60).padded(2))"
}

func schedule(_ text: String) throws -> CronSchedule {
    try CronParser.parse(text)
}

/// The next `count` firings of `text` after `start`, as wall-clock strings in the schedule's zone.
func firings(_ text: String, after start: Int64, count: Int = 1) throws -> [String] {
    let parsed = try schedule(text)
    var result: [String] = []
    var now = start
    for _ in 0..<count {
        guard let next = parsed.next(after: now, anchor: start) else {
            result.append("never")
            break
        }
        result.append(wall(next, parsed.zone))
        now = next
    }
    return result
}

func configuration(_ schedule: String?) -> DriverConfiguration {
    DriverConfiguration(
        componentName: "tick", type: "bindings.cron", directions: [.input],
        metadata: schedule.map { ["schedule": $0] } ?? [:])
}

/// A clock that moves only when the test says so, and reports every sleep the timer starts.
final class ManualClock: WallClock {
    private struct State {
        var now: Int64
        var nextID = 0
        var sleepers: [Int: (deadline: Int64, continuation: CheckedContinuation<Void, any Error>)] = [:]
        var cancelled: Set<Int> = []
    }

    private let state: Mutex<State>
    /// The deadline of each sleep, in the order the timer starts them.
    let deadlines: AsyncStream<Int64>
    private let deadlineSink: AsyncStream<Int64>.Continuation

    init(now: Int64) {
        state = Mutex(State(now: now))
        (deadlines, deadlineSink) = AsyncStream.makeStream()
    }

    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    func now() -> Int64 { state.withLock { $0.now } }

    /// Moves the clock to `instant` and wakes every sleeper whose deadline has come.
    func set(_ instant: Int64) {
        let woken = state.withLock { state in
            state.now = instant
            let due = state.sleepers.filter { $0.value.deadline <= instant }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    func sleep(until deadline: Int64) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelled.contains(id) { return .failure(CancellationError()) }
                    if state.now >= deadline { return .success(()) }
                    state.sleepers[id] = (deadline, continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) } else { deadlineSink.yield(deadline) }
            }
        } onCancel: {
            let continuation = state.withLock { state in
                state.cancelled.insert(id)
                return state.sleepers.removeValue(forKey: id)?.continuation
            }
            continuation?.resume(throwing: CancellationError())
        }
    }
}

/// Collects emitted events; answers with a scripted outcome.
final class EventRecorder: Sendable {
    private let state = Mutex<(events: [[String: String]], outcomes: [EventSink.Outcome])>(([], []))
    let logs = Mutex<[String]>([])
    /// Every emitted event, as it happens.
    let emitted: AsyncStream<[String: String]>
    private let emittedSink: AsyncStream<[String: String]>.Continuation

    init() {
        (emitted, emittedSink) = AsyncStream.makeStream()
    }

    func script(_ outcomes: [EventSink.Outcome]) { state.withLock { $0.outcomes = outcomes } }

    var events: [[String: String]] { state.withLock { $0.events } }

    func emit(_ metadata: [String: String]) -> EventSink.Outcome {
        defer { emittedSink.yield(metadata) }
        return state.withLock { state in
            state.events.append(metadata)
            return state.outcomes.isEmpty
                ? .accepted(deliveryID: UInt64(state.events.count)) : state.outcomes.removeFirst()
        }
    }

    func log(_ level: LogLevel, _ message: String) {
        logs.withLock { $0.append("\(level): \(message)") }
    }
}
