import BinderyCore
import Synchronization

/// Driver instances by their `bd_host_ctx` id, for the host table's log and emit_event.
package final class Contexts: Sendable {
    package static let shared = Contexts()

    private struct State {
        var next: UInt64 = 1
        var instances: [UInt64: InProcessInstance] = [:]
        /// How log lines from each context are labelled and masked, from `reserve` (so lines a
        /// driver writes during create name the component) until `remove`.
        var labels: [UInt64: Label] = [:]
    }

    private let state = Mutex(State())

    /// What log lines from one context get: a scope naming the component, and its secrets masked.
    package struct Label: Sendable {
        package let scope: String
        package let redactor: Redactor
    }

    /// A new context id, for an instance about to be created; `scope` labels its log lines and
    /// `redactor` masks them.
    func reserve(scope: String, redactor: Redactor) -> UInt64 {
        state.withLock { state in
            defer { state.next += 1 }
            state.labels[state.next] = Label(scope: scope, redactor: redactor)
            return state.next
        }
    }

    package func add(_ instance: InProcessInstance) { state.withLock { $0.instances[instance.contextID] = instance } }

    package func remove(_ id: UInt64) {
        state.withLock { state in
            state.instances.removeValue(forKey: id)
            state.labels.removeValue(forKey: id)
        }
    }

    package func find(_ id: UInt64) -> InProcessInstance? { state.withLock { $0.instances[id] } }
    package func label(_ id: UInt64) -> Label? { state.withLock { $0.labels[id] } }
}
