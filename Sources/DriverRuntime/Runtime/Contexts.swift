import Synchronization

/// Driver instances by their `bd_host_ctx` id, for the host table's log and emit_event.
package final class Contexts: Sendable {
    package static let shared = Contexts()

    private let state = Mutex<(next: UInt64, instances: [UInt64: InProcessInstance])>((1, [:]))

    package func reserve() -> UInt64 {
        state.withLock { state in
            defer { state.next += 1 }
            return state.next
        }
    }

    package func add(_ instance: InProcessInstance) { state.withLock { $0.instances[instance.contextID] = instance } }
    package func remove(_ id: UInt64) { state.withLock { _ = $0.instances.removeValue(forKey: id) } }
    package func find(_ id: UInt64) -> InProcessInstance? { state.withLock { $0.instances[id] } }
}
