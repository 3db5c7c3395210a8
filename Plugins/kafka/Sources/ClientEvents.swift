import CRdKafka
import DriverKit
import Synchronization

/// What librdkafka's callbacks report for one client, shared with its C callbacks through the
/// configuration's opaque pointer (the client keeps this object alive until it is destroyed).
///
/// librdkafka reports "all brokers down" (RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) but no recovery:
/// `outage` is set by that error and cleared by the owner when a broker answers again (a
/// delivery report or a metadata probe), so output can fail at once while the cluster is away.
final class ClientEvents: Sendable {
    let component: String
    let log: @Sendable (LogLevel, String) -> Void
    private let outageReason = Mutex<String?>(nil)
    private let revokeHandler = Mutex<(@Sendable (Set<String>) -> Void)?>(nil)

    init(component: String, log: @escaping @Sendable (LogLevel, String) -> Void) {
        self.component = component
        self.log = log
    }

    /// What the consumer does with partitions ("topic/partition") it is about to give up:
    /// called by `rebalance` on the consumer thread before the partitions go.
    func onRevoke(_ handler: @escaping @Sendable (Set<String>) -> Void) { revokeHandler.withLock { $0 = handler } }

    func revoking(_ keys: Set<String>) {
        guard let handler = revokeHandler.withLock({ $0 }) else { return }
        handler(keys)
    }

    /// Why no broker is reachable, or nil while one is.
    var outage: String? { outageReason.withLock { $0 } }

    /// A broker answered: the outage is over.
    func recovered() {
        let was = outageReason.withLock { reason in
            defer { reason = nil }
            return reason
        }
        if was != nil { log(.info, "bindings.kafka \(component): a broker is reachable again") }
    }

    /// librdkafka's error callback (its own threads, or the polling thread).
    func error(_ code: Int32, _ reason: String) {
        if code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue {
            outageReason.withLock { $0 = reason }
        }
        log(.warn, "bindings.kafka \(component): \(reason)")
    }

    /// The configuration callbacks every client has: errors and log lines.
    func install(on conf: OpaquePointer) {
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_error_cb(conf) { _, code, reason, opaque in
            guard let opaque else { return }
            Unmanaged<ClientEvents>.fromOpaque(opaque).takeUnretainedValue()
                .error(code, reason.map { String(cString: $0) } ?? "unknown error")
        }
        rd_kafka_conf_set_log_cb(conf) { client, level, facility, text in
            guard let client, let opaque = rd_kafka_opaque(client) else { return }
            let events = Unmanaged<ClientEvents>.fromOpaque(opaque).takeUnretainedValue()
            let line = "\(facility.map { String(cString: $0) } ?? ""): \(text.map { String(cString: $0) } ?? "")"
            events.log(level <= 3 ? .error : level == 4 ? .warn : .debug, "bindings.kafka \(events.component): \(line)")
        }
    }
}
