import CRdKafka
import DriverKit
import Synchronization

/// The input side: one librdkafka balanced consumer in `consumerGroup`, subscribed to `topics`,
/// polled by a thread of its own.
///
/// Records go to the app one partition at a time but partitions side by side (PartitionLanes):
/// a partition's next record is sent once the app answered its previous one, while the other
/// partitions go on. The thread never waits for the app; an answer wakes its poll.
///
/// Offsets are committed by hand (enable.auto.commit and enable.auto.offset.store are off),
/// asynchronously, each one only once the app answered that record, and so every earlier
/// record of its partition: the group's committed offset never passes a record the app has
/// not answered (at least once). A commit the group refuses is made again (KafkaConsumer+Pending);
/// the offsets answered when input stops or partitions are revoked are committed synchronously
/// before the partitions go (KafkaConsumer+Revoke). A record the app still holds then is not
/// committed and is delivered again to whichever member owns the partition next.
final class KafkaConsumer: Sendable {
    let client: KafkaClient
    let delivery: InputDelivery
    let lanes: PartitionLanes
    let ledger = CommitLedger()
    private let thread = DedicatedThread<Never>(name: "bindings.kafka consumer thread")
    /// The consumer queue (what consumer_poll waits on): an answer wakes the poll through it,
    /// and asynchronous commit results are served from it.
    private let queues: Queues

    private struct Queues: @unchecked Sendable {
        let consumer: OpaquePointer
    }

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
        lanes = PartitionLanes(delivery: delivery)
        // Every event (errors, rebalances) on the consumer queue, served by consumer_poll.
        rd_kafka_poll_set_consumer(client.raw)
        queues = Queues(consumer: rd_kafka_queue_get_consumer(client.raw))
        let lanes = lanes
        // Weak: librdkafka may revoke while the client is destroyed, after this object is gone.
        client.events.onRevoke { [weak self] keys in self?.release(keys, lanes: lanes) }
    }

    /// How many offsets were committed (tests).
    var commitCount: Int { ledger.committed }

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
        let queues = queues
        delivery.wakeWith { rd_kafka_queue_yield(queues.consumer) }
        var pending = PendingCommits()
        while !thread.takeWork().stopping, !delivery.isStopping {
            serveCommitResults(&pending)
            if !pending.isEmpty { retry(&pending) }
            commitAsync(lanes.settle(now: MonotonicClock.now()))
            for (topic, partition) in lanes.drained() { pause(topic, partition, false) }
            // While a refused commit waits, nothing more is delivered (see PendingCommits).
            var wait: Int32 = 100
            if pending.isEmpty {
                switch lanes.emitReady(now: MonotonicClock.now(), blocked: ledger.isQueued) {
                case .stopped, .busy: break  // an answer (or stop) wakes the poll
                case .done(let wake):
                    if let wake { wait = Int32(min(100, wake.saturatingSubtract(MonotonicClock.now()) / 1_000_000)) }
                }
            }
            guard let message = rd_kafka_consumer_poll(client.raw, wait) else { continue }
            defer { rd_kafka_message_destroy(message) }
            guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                log(.warn, KafkaClient.describe(message.pointee.err))
                continue
            }
            client.events.recovered()
            let record = KafkaRecord(
                message, escape: client.settings.escapeHeaders, filter: client.settings.headerFilter)
            let answered = ledger.latest(PartitionLanes.key(record.topic, record.partition))?.next
            if lanes.add(record, answeredBelow: answered) { pause(record.topic, record.partition, true) }
        }
        // Commits what the app answered, then leaves the group now, so the partitions move to
        // another member without waiting for the session timeout.
        release(lanes.keys, lanes: lanes)
        rd_kafka_consumer_close(client.raw)
        delivery.wakeWith(nil)
    }

    /// The queues go before the client (deinit's body runs before stored properties are released).
    deinit {
        rd_kafka_queue_destroy(queues.consumer)
    }

    var consumerQueue: OpaquePointer { queues.consumer }
}

extension UInt64 {
    fileprivate func saturatingSubtract(_ other: UInt64) -> UInt64 { self > other ? self - other : 0 }
}
