import PluginABI
import Synchronization

/// What the test host saw of one driver instance: its log lines, the events it emitted, and
/// every ABI rule it broke.
public final class InstanceRecord: Sendable {
    public let id: UInt64
    public let component: String

    private struct State {
        var logs: [String] = []
        var violations: [String] = []
        var emitted: [(deliveryID: UInt64, data: [UInt8])] = []
        var unacked: [UInt64] = []
        var maxUnacked = 0
        var acceptingEvents = false
        var destroyed = false
    }

    private let state = Mutex(State())
    private let arrivals: AsyncStream<Void>
    private let arrived: AsyncStream<Void>.Continuation

    init(component: String) {
        id = TestHost.newInstanceID()
        self.component = component
        (arrivals, arrived) = AsyncStream.makeStream()
    }

    /// Waits until the host has accepted an event (true), or `timeout` passed (false). Call at
    /// most once per instance: the wait consumes the stream of arrivals.
    public func waitForEvent(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in self.arrivals { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    public var logs: [String] { state.withLock { $0.logs } }
    public var violations: [String] { state.withLock { $0.violations } }
    /// Every event the host accepted, in order.
    public var events: [(deliveryID: UInt64, data: [UInt8])] { state.withLock { $0.emitted } }

    func log(_ level: bd_log_level, _ message: String) {
        let name = ["trace", "debug", "info", "warn", "error"][Int(max(0, min(level, 4)))]
        state.withLock { $0.logs.append("\(name) \(message)") }
    }

    func violate(_ rule: String) {
        state.withLock { $0.violations.append(rule) }
    }

    /// Input runs from just before start_input until stop is called: events then are accepted
    /// up to `maxUnacked` waiting for their ack.
    func acceptEvents(_ accepting: Bool, maxUnacked: Int = 0) {
        state.withLock { state in
            state.acceptingEvents = accepting
            if accepting { state.maxUnacked = maxUnacked }
        }
    }

    func accept(deliveryID: UInt64, data: [UInt8]) -> bd_status {
        let status = state.withLock { state in
            if state.destroyed {
                state.violations.append("emit_event was called after destroy (delivery id \(deliveryID))")
                return BD_E_UNAVAILABLE
            }
            guard state.acceptingEvents else { return BD_E_UNAVAILABLE }
            guard state.unacked.count < state.maxUnacked else { return BD_E_BUSY }
            if state.emitted.contains(where: { $0.deliveryID == deliveryID }) {
                state.violations.append("delivery id \(deliveryID) was emitted twice (ids must be unique per instance)")
            }
            state.emitted.append((deliveryID, data))
            state.unacked.append(deliveryID)
            return BD_OK
        }
        if status == BD_OK { arrived.yield() }
        return status
    }

    /// The accepted events not yet acknowledged, now marked acknowledged.
    func takeUnacked() -> [UInt64] {
        state.withLock { state in
            defer { state.unacked = [] }
            return state.unacked
        }
    }

    func markDestroyed() {
        state.withLock { $0.destroyed = true }
    }
}
