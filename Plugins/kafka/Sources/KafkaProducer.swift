import CRdKafka
import DriverKit
import Synchronization

/// The output side: one librdkafka producer and the thread that serves its delivery reports.
///
/// `send` queues a record (librdkafka copies it) and returns; librdkafka's broker threads send
/// it, and its delivery report, served by `rd_kafka_poll` on this producer's own thread,
/// completes the request: success once the brokers acknowledged it (`producerRequiredAcks`),
/// or librdkafka's error. While every broker is unreachable, `send` fails at once.
final class KafkaProducer: Sendable {
    typealias Completion = @Sendable (Result<Void, DriverError>) -> Void

    private let client: KafkaClient
    private let thread = DedicatedThread<Never>(name: "bindings.kafka producer thread")
    /// Held while a record is handed to librdkafka, so that none is queued after stop purged.
    private let stopping = Mutex(false)

    init(_ settings: KafkaSettings, events: ClientEvents) throws {
        client = try KafkaClient(settings, role: .producer, events: events) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, _ in
                guard let message, let opaque = message.pointee._private else { return }
                Unmanaged<PendingDelivery>.fromOpaque(opaque).takeRetainedValue().report(message.pointee)
            }
        }
    }

    /// Checks that a broker answers within `timeoutMilliseconds` (blocking: run it off host
    /// threads), then starts the delivery-report thread.
    func start(timeoutMilliseconds: Int32) throws {
        if let reason = client.probe(timeoutMilliseconds: timeoutMilliseconds) {
            throw DriverError(
                .unavailable,
                "\(client.settings.component): cannot reach the Kafka brokers \(client.settings.brokers): \(reason)")
        }
        do { try thread.start { [self] in run() } } catch {
            throw DriverError(.unavailable, "\(client.settings.component): \(error)")
        }
    }

    /// Queues `message`; `completion` runs once, on the producer thread or (for a refusal) here.
    func send(_ message: OutgoingMessage, completion: @escaping Completion) {
        let settings = client.settings
        if let outage = client.events.outage {
            return completion(
                .failure(
                    DriverError(
                        .unavailable,
                        "\(settings.component): no Kafka broker is reachable at \(settings.brokers) (\(outage)); reconnecting in the background",
                        retryable: true)))
        }
        let pending = PendingDelivery(
            component: settings.component, topic: message.topic, events: client.events, completion)
        let opaque = Unmanaged.passRetained(pending).toOpaque()
        let status: rd_kafka_resp_err_t? = stopping.withLock { stopping in
            guard !stopping else { return nil }
            return produce(message, opaque: opaque)
        }
        guard let status, status == RD_KAFKA_RESP_ERR_NO_ERROR else {
            Unmanaged<PendingDelivery>.fromOpaque(opaque).release()
            guard let status else {
                return completion(.failure(DriverError(.cancelled, "\(settings.component): the component is stopping")))
            }
            return completion(.failure(pending.failure(status)))
        }
    }

    /// Stops taking records, waits up to 5 s for those in flight, fails what remains
    /// (`cancelled`), and ends the thread.
    func stop() async {
        stopping.withLock { $0 = true }
        await thread.stop()
        finish()
    }

    private func produce(_ message: OutgoingMessage, opaque: UnsafeMutableRawPointer) -> rd_kafka_resp_err_t {
        let headers: OpaquePointer? = message.headers.isEmpty ? nil : rd_kafka_headers_new(message.headers.count)
        for header in message.headers {
            let bytes = Array(header.value.utf8)
            _ = bytes.withUnsafeBytes { rd_kafka_header_add(headers, header.name, -1, $0.baseAddress, $0.count) }
        }
        let key = message.key ?? []
        let status = key.withUnsafeBytes { keyBytes in
            (message.value ?? []).withUnsafeBytes { valueBytes in
                bd_kafka_produce(
                    client.raw, message.topic, message.partition,
                    message.key == nil ? nil : keyBytes.baseAddress, keyBytes.count,
                    message.value == nil ? nil : valueBytes.baseAddress, valueBytes.count, headers, opaque)
            }
        }
        if status != RD_KAFKA_RESP_ERR_NO_ERROR, let headers { rd_kafka_headers_destroy(headers) }
        return status
    }

    /// The thread: serves delivery reports; while the cluster is away, probes it twice a second.
    private func run() {
        var lastProbe = MonotonicClock.now()
        while !thread.takeWork().stopping {
            rd_kafka_poll(client.raw, 100)
            guard client.events.outage != nil, MonotonicClock.now() - lastProbe > 500_000_000 else { continue }
            lastProbe = MonotonicClock.now()
            if client.probe(timeoutMilliseconds: 500) == nil { client.events.recovered() }
        }
    }

    /// After the thread: flushes, then purges what is left; its reports fail those requests.
    private func finish() {
        rd_kafka_flush(client.raw, 5_000)
        rd_kafka_purge(client.raw, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
        rd_kafka_poll(client.raw, 0)
    }
}

/// One record on its way: the request's completion, retained by librdkafka's message opaque
/// until its delivery report.
private final class PendingDelivery: Sendable {
    let component: String
    let topic: String
    let events: ClientEvents
    let completion: KafkaProducer.Completion

    init(component: String, topic: String, events: ClientEvents, _ completion: @escaping KafkaProducer.Completion) {
        self.component = component
        self.topic = topic
        self.events = events
        self.completion = completion
    }

    func report(_ message: rd_kafka_message_t) {
        guard message.err != RD_KAFKA_RESP_ERR_NO_ERROR else {
            events.recovered()
            return completion(.success(()))
        }
        completion(.failure(failure(message.err)))
    }

    /// `status` as the error the app gets, naming the component and topic.
    func failure(_ status: rd_kafka_resp_err_t) -> DriverError {
        let reason = KafkaClient.describe(status)
        let prefix = "\(component): cannot publish to topic \"\(topic)\": "
        switch status {
        case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
            return DriverError(.invalidArgument, prefix + reason + " (maxMessageBytes)")
        case RD_KAFKA_RESP_ERR__PURGE_QUEUE, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
            return DriverError(.cancelled, prefix + "the component stopped before the brokers acknowledged it")
        case RD_KAFKA_RESP_ERR__QUEUE_FULL:
            return DriverError(.unavailable, prefix + reason, retryable: true)
        case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
            RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
            return DriverError(.invalidArgument, prefix + reason)
        default:
            return DriverError(.unavailable, prefix + reason)
        }
    }
}
