import BinderyCore
import BinderySystem
import PluginABI
import Synchronization

/// Every asynchronous call in flight to any driver, by id. Completion, synchronous failure and
/// timeout race to remove the entry; whichever wins runs the waiter, exactly once.
package final class Calls: Sendable {
    package static let shared = Calls()

    package enum Completion: Sendable {
        case op(OpResult)
        case invoke(InvokeOutcome)
    }

    package typealias Waiter = @Sendable (Completion) -> Void

    private struct State {
        package var next: UInt64 = 1
        package var pending: [UInt64: Waiter] = [:]
        var expired: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Starts a call: `start` gets a new call handle; `waiter` runs exactly once with the
    /// result, on the thread that completed the call (possibly inside `start`). If `start`
    /// returns an error, `failed(status)` is the result; if `timeout` passes first, `timedOut`.
    package func start(
        timeout: Duration?, timedOut: Completion, waiter: @escaping Waiter,
        _ start: (OpaquePointer?) -> bd_status, failed: (bd_status) -> Completion
    ) {
        let id = state.withLock { state in
            let id = state.next
            state.next += 1
            state.pending[id] = waiter
            return id
        }
        let status = start(Handle.pointer(id))
        if status != BD_OK {
            take(id)?(failed(status))
        } else if let timeout {
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id, with: timedOut)
            }
        }
    }

    /// `start`, awaiting the result.
    package func run(
        timeout: Duration?, timedOut: Completion,
        _ start: (OpaquePointer?) -> bd_status, failed: (bd_status) -> Completion
    ) async -> Completion {
        await withCheckedContinuation { continuation in
            self.start(
                timeout: timeout, timedOut: timedOut, waiter: { continuation.resume(returning: $0) }, start,
                failed: failed)
        }
    }

    /// A driver completed call `id`. A second completion is a driver bug: it is logged, and
    /// never reaches freed memory because handles are ids.
    package func complete(_ id: UInt64, _ completion: Completion) {
        if let waiter = take(id) { return waiter(completion) }
        let late = state.withLock { $0.expired.remove(id) != nil }
        if late {
            Log.write(.debug, "call \(id) completed after its deadline", scope: "driver")
        } else {
            Log.error("driver completed call \(id) twice or completed an unknown call (ABI violation)", scope: "driver")
        }
    }

    private func expire(_ id: UInt64, with completion: Completion) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.pending.removeValue(forKey: id) else { return nil }
            state.expired.insert(id)
            return waiter
        }
        waiter?(completion)
    }

    private func take(_ id: UInt64) -> Waiter? {
        state.withLock { $0.pending.removeValue(forKey: id) }
    }

}
