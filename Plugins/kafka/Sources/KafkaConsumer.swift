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
        while !thread.takeWork().stopping {
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
            commit(record)
        }
        // Leaves the group now, so the partitions move to another member without waiting for
        // the session timeout.
        rd_kafka_consumer_close(client.raw)
    }

    private func commit(_ record: KafkaRecord) {
        let list = rd_kafka_topic_partition_list_new(1)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        rd_kafka_topic_partition_list_add(list, record.topic, record.partition)?.pointee.offset = record.offset + 1
        let status = rd_kafka_commit(client.raw, list, 0)
        guard status == RD_KAFKA_RESP_ERR_NO_ERROR else {
            client.events.log(
                .warn,
                "bindings.kafka \(client.settings.component): cannot commit offset \(record.offset + 1) of \(record.topic)/\(record.partition): \(KafkaClient.describe(status)); the record may be delivered again"
            )
            return
        }
        commits.add(1, ordering: .relaxed)
    }
}
