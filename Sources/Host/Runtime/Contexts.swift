import Synchronization

/// Driver instances by their `bd_host_ctx` id, for the host table's log and emit_event.
final class Contexts: Sendable {
    static let shared = Contexts()

    private let state = Mutex<(next: UInt64, instances: [UInt64: DriverInstance])>((1, [:]))

    func reserve() -> UInt64 {
        state.withLock { state in
            defer { state.next += 1 }
            return state.next
        }
    }

    func add(_ instance: DriverInstance) { state.withLock { $0.instances[instance.contextID] = instance } }
    func remove(_ id: UInt64) { state.withLock { _ = $0.instances.removeValue(forKey: id) } }
    func find(_ id: UInt64) -> DriverInstance? { state.withLock { $0.instances[id] } }
}
