import Synchronization

/// Driver instances by their `bd_host_ctx` id, for the host table's log and emit_event.
package final class Contexts: Sendable {
    package static let shared = Contexts()

    private struct State {
        var next: UInt64 = 1
        var instances: [UInt64: InProcessInstance] = [:]
        /// How log lines from each context are labelled, from `reserve` (so lines a driver
        /// writes during create name the component) until `remove`.
        var scopes: [UInt64: String] = [:]
    }

    private let state = Mutex(State())

    /// A new context id, for an instance about to be created; `scope` labels its log lines.
    func reserve(scope: String) -> UInt64 {
        state.withLock { state in
            defer { state.next += 1 }
            state.scopes[state.next] = scope
            return state.next
        }
    }

    package func add(_ instance: InProcessInstance) { state.withLock { $0.instances[instance.contextID] = instance } }

    package func remove(_ id: UInt64) {
        state.withLock { state in
            state.instances.removeValue(forKey: id)
            state.scopes.removeValue(forKey: id)
        }
    }

    package func find(_ id: UInt64) -> InProcessInstance? { state.withLock { $0.instances[id] } }
    package func scope(_ id: UInt64) -> String? { state.withLock { $0.scopes[id] } }
}
