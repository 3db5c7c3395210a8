import PluginABI
import Synchronization

/// Every asynchronous call in flight to any driver, by id. Completion, synchronous failure and
/// timeout race to remove the entry; whichever wins resumes the waiting task, exactly once.
final class Calls: Sendable {
    static let shared = Calls()

    enum Completion: Sendable {
        case op(OpResult)
        case invoke(InvokeOutcome)
    }

    private struct State {
        var next: UInt64 = 1
        var pending: [UInt64: (waiter: CheckedContinuation<Completion, Never>, scope: String)] = [:]
        var expired: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Runs `start` with a new call handle and waits for its completion. If `start` returns an
    /// error, that is the result; if `timeout` passes first, the result is BD_E_TIMEOUT.
    func run(
        scope: String, timeout: Duration?, timedOut: Completion,
        _ start: (OpaquePointer?) -> bd_status, failed: (bd_status) -> Completion
    ) async -> Completion {
        await withCheckedContinuation { waiter in
            let id = state.withLock { state in
                let id = state.next
                state.next += 1
                state.pending[id] = (waiter, scope)
                return id
            }
            let status = start(Handle.pointer(id))
            if status != BD_OK {
                take(id)?.resume(returning: failed(status))
            } else if let timeout {
                Task {
                    try? await Task.sleep(for: timeout)
                    self.expire(id, with: timedOut)
                }
            }
        }
    }

    /// A driver completed call `id`. A second completion is a driver bug: it is logged, and
    /// never reaches freed memory because handles are ids.
    func complete(_ id: UInt64, _ completion: Completion) {
        if let waiter = take(id) { return waiter.resume(returning: completion) }
        let late = state.withLock { $0.expired.remove(id) != nil }
        if late {
            Log.write(.debug, "call \(id) completed after its deadline", scope: "driver")
        } else {
            Log.error("driver completed call \(id) twice or completed an unknown call (ABI violation)", scope: "driver")
        }
    }

    private func expire(_ id: UInt64, with completion: Completion) {
        let waiter = state.withLock { state -> CheckedContinuation<Completion, Never>? in
            guard let entry = state.pending.removeValue(forKey: id) else { return nil }
            state.expired.insert(id)
            return entry.waiter
        }
        waiter?.resume(returning: completion)
    }

    private func take(_ id: UInt64) -> CheckedContinuation<Completion, Never>? {
        state.withLock { $0.pending.removeValue(forKey: id)?.waiter }
    }

    var inFlight: Int { state.withLock { $0.pending.count } }
}
