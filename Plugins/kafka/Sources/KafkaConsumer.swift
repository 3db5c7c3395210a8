import CRdKafka
import DriverKit
import Synchronization

/// The input side: one librdkafka balanced consumer in `consumerGroup`, subscribed to `topics`,
/// polled by a thread of its own.
///
/// Offsets are committed by hand (enable.auto.commit and enable.auto.offset.store are off),
/// each one synchronously after the app answered its record (InputDelivery), so the group's
/// committed offset never passes a record the app has not answered: at-least-once. A record
/// held when input stops, or when a rebalance moves its partition away, is not committed and
/// is delivered again to whichever member owns the partition next.
final class KafkaConsumer: Sendable {
    private let client: KafkaClient
    private let delivery: InputDelivery
    private let thread = DedicatedThread<Never>(name: "bindings.kafka consumer thread")
    private let commits = Atomic(0)

    init(_ settings: KafkaSettings, events: ClientEvents, delivery: InputDelivery) throws {
        guard settings.consumerGroup != nil else {
            throw DriverError(
                .invalidArgument,
                "\(settings.component): metadata \"consumerGroup\" is required to consume topics \(settings.topics.joined(separator: ","))"
            )
        }
        client = try KafkaClient(settings, role: .consumer, events: events) { conf in
            rd_kafka_conf_set_rebalance_cb(conf) { client, error, partitions, opaque in
                guard let client, let opaque else { return }
                Unmanaged<ClientEvents>.fromOpaque(opaque).takeUnretainedValue()
                    .rebalance(client, assigned: error == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS, partitions)
            }
        }
        self.delivery = delivery
        // Every event (errors, rebalances) on the consumer queue, served by consumer_poll.
        rd_kafka_poll_set_consumer(client.raw)
    }

    /// How many offsets were committed (tests).
    var commitCount: Int { commits.load(ordering: .relaxed) }

    var rawClient: OpaquePointer { client.raw }

    func log(_ level: LogLevel, _ message: String) {
        client.events.log(level, "bindings.kafka \(client.settings.component): \(message)")
    }

    /// Checks that a broker answers (blocking up to `timeoutMilliseconds`), subscribes, and
    /// starts the polling thread.
    func start(timeoutMilliseconds: Int32) throws {
        let settings = client.settings
        if let reason = client.probe(timeoutMilliseconds: timeoutMilliseconds) {
            throw DriverError(
                .unavailable, "\(settings.component): cannot reach the Kafka brokers \(settings.brokers): \(reason)")
        }
        let list = rd_kafka_topic_partition_list_new(Int32(settings.topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in settings.topics { rd_kafka_topic_partition_list_add(list, topic, -1) }
        let status = rd_kafka_subscribe(client.raw, list)
        guard status == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw DriverError(
                .invalidArgument,
                "\(settings.component): cannot subscribe to \(settings.topics.joined(separator: ",")): \(KafkaClient.describe(status))"
            )
        }
        do { try thread.start { [self] in run() } } catch {
            throw DriverError(.unavailable, "\(settings.component): \(error)")
        }
    }

    /// Stops delivering (a record the app holds stays uncommitted), leaves the group and ends
    /// the thread.
    func stop() async {
        delivery.stop()
        await thread.stop()
    }

    private func run() {
        let settings = client.settings
        var pending = PendingCommits()
        while !thread.takeWork().stopping {
            if !pending.isEmpty { retry(&pending) }
            guard let message = rd_kafka_consumer_poll(client.raw, 100) else { continue }
            defer { rd_kafka_message_destroy(message) }
            guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                client.events.log(
                    .warn, "bindings.kafka \(settings.component): \(KafkaClient.describe(message.pointee.err))")
                continue
            }
            client.events.recovered()
            let record = KafkaRecord(message, escape: settings.escapeHeaders, filter: settings.headerFilter)
            guard delivery.handle(record) == .commit else { break }
            if !commit([(record.topic, record.partition, record.offset + 1)]) {
                // The group is rebalancing: deliver nothing more until the commit went through
                // (or the partition went to another member, which then delivers this record again).
                pending.add(record.topic, record.partition, next: record.offset + 1)
                pauseAssignment(true)
            }
        }
        // Leaves the group now, so the partitions move to another member without waiting for
        // the session timeout.
        rd_kafka_consumer_close(client.raw)
    }

    /// Commits each (topic, partition, next offset) synchronously; false when the group refused
    /// it for now (a rebalance in progress, a generation that just changed).
    func commit(_ offsets: [(topic: String, partition: Int32, next: Int64)]) -> Bool {
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for entry in offsets {
            rd_kafka_topic_partition_list_add(list, entry.topic, entry.partition)?.pointee.offset = entry.next
        }
        let status = rd_kafka_commit(client.raw, list, 0)
        guard status == RD_KAFKA_RESP_ERR_NO_ERROR else {
            client.events.log(
                .debug,
                "bindings.kafka \(client.settings.component): commit of \(offsets.map { "\($0.topic)/\($0.partition)@\($0.next)" }) refused for now: \(KafkaClient.describe(status))"
            )
            return false
        }
        commits.add(offsets.count, ordering: .relaxed)
        return true
    }
}
