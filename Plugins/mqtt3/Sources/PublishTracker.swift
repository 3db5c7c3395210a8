import DriverKit
import Synchronization

/// Output requests waiting for their PUBACK, by message id.
///
/// `invoke` publishes, then registers its continuation here; the connection's thread reports
/// each PUBACK (`published`) and, every ~200 ms, expires waits whose deadline passed. A PUBACK
/// may arrive before the invoke registered (loopback is fast): it is kept in `early` until then.
/// Publishes in flight survive a reconnect: libmosquitto sends them again and their PUBACK
/// completes them, or their deadline does.
final class PublishTracker: Sendable {
    private struct Waiter {
        var continuation: CheckedContinuation<Void, any Error>
        var deadline: UInt64
        var topic: String
    }

    private struct State {
        var waiting: [Int32: Waiter] = [:]
        var early: Set<Int32> = []
        /// Ids whose waiter gave up: a late PUBACK for them is not "early".
        var abandoned: Set<Int32> = []
        var closed = false
    }

    private let state = Mutex(State())
    private let url: String

    init(url: String) { self.url = url }

    /// Completes `continuation` when the PUBACK of `mid` arrives, at `deadline`, or at stop.
    func track(_ mid: Int32, topic: String, deadline: UInt64, _ continuation: CheckedContinuation<Void, any Error>) {
        let outcome: Result<Void, DriverError>? = state.withLock { state in
            if state.closed { return .failure(DriverError(.cancelled, "bindings.mqtt3: the component is stopping")) }
            if state.early.remove(mid) != nil { return .success(()) }
            state.waiting[mid] = Waiter(continuation: continuation, deadline: deadline, topic: topic)
            return nil
        }
        if let outcome { continuation.resume(with: outcome.mapError { $0 as any Error }) }
    }

    /// The broker acknowledged `mid` (connection thread).
    func published(_ mid: Int32) {
        let waiter = state.withLock { state -> Waiter? in
            if let waiter = state.waiting.removeValue(forKey: mid) { return waiter }
            if state.abandoned.remove(mid) == nil { state.early.insert(mid) }
            return nil
        }
        waiter?.continuation.resume()
    }

    /// `mid` was reported to its caller as failed although libmosquitto kept the message (it is
    /// sent after the reconnect): its PUBACK, if it comes, completes nothing. Without this it
    /// would wait in `early` and, once the 16-bit ids wrapped, complete a later publish with the
    /// same id before the broker had that one.
    func abandon(_ mid: Int32) {
        state.withLock { state in
            if state.early.remove(mid) == nil { state.abandoned.insert(mid) }
        }
    }

    /// Fails every wait whose deadline passed (connection thread).
    func expire(now: UInt64) {
        let expired = state.withLock { state -> [Waiter] in
            let due = state.waiting.filter { $0.value.deadline <= now }
            for mid in due.keys {
                state.waiting[mid] = nil
                state.abandoned.insert(mid)
            }
            return Array(due.values)
        }
        for waiter in expired {
            waiter.continuation.resume(
                throwing: DriverError(
                    .timeout,
                    "bindings.mqtt3: no PUBACK from \(url) for the message to topic \"\(waiter.topic)\" before the deadline; "
                        + "it may still be delivered once the connection is back", retryable: true))
        }
    }

    /// Fails every wait and every later `track` with `.cancelled` (the connection stopped).
    func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for waiter in waiters {
            waiter.continuation.resume(
                throwing: DriverError(
                    .cancelled,
                    "bindings.mqtt3: publish to topic \"\(waiter.topic)\" cancelled: the component is stopping"))
        }
    }

    var waitingCount: Int { state.withLock { $0.waiting.count } }
}
