import CRdKafka
import DriverKit

/// Offsets the app answered whose commit the group refused while it rebalanced: the next offset
/// to commit per partition.
struct PendingCommits {
    private(set) var offsets: [String: (topic: String, partition: Int32, next: Int64)] = [:]

    var isEmpty: Bool { offsets.isEmpty }

    mutating func add(_ topic: String, _ partition: Int32, next: Int64) {
        offsets["\(topic)/\(partition)"] = (topic, partition, next)
    }

    mutating func removeAll() { offsets = [:] }
}

extension KafkaConsumer {
    /// Retries the pending commits of partitions this member still owns, each at the latest
    /// offset the app answered, and forgets the others (their new owner starts at the last
    /// committed offset: the records answered since are delivered again, the duplicates that
    /// at-least-once allows). Once none is left, delivery resumes. Nothing is decided while the
    /// member owns no partition at all (mid-rebalance).
    func retry(_ pending: inout PendingCommits) {
        let owned = assignment()
        // Between an eager revoke and the assignment that follows, this member owns nothing:
        // wait for the assignment, which may give the partitions back.
        if owned.isEmpty { return }
        let kept = pending.offsets.values.filter { owned.contains("\($0.topic)/\($0.partition)") }.map {
            ledger.latest(PartitionLanes.key($0.topic, $0.partition)) ?? $0
        }
        for lost in pending.offsets.values where !owned.contains("\(lost.topic)/\(lost.partition)") {
            ledger.forget([PartitionLanes.key(lost.topic, lost.partition)])
            log(
                .warn,
                "\(lost.topic)/\(lost.partition) moved to another member before offset \(lost.next) could be committed; that member delivers the records before it from its last committed offset again"
            )
        }
        guard kept.isEmpty || commit(kept) else {
            pending.removeAll()
            for entry in kept { pending.add(entry.topic, entry.partition, next: entry.next) }
            return
        }
        pending.removeAll()
        pauseAssignment(false)
        for (topic, partition) in lanes.paused { pause(topic, partition, true) }
    }

    /// Pauses (or resumes) fetching for one partition (its lane has a backlog).
    func pause(_ topic: String, _ partition: Int32, _ pause: Bool) {
        let list = rd_kafka_topic_partition_list_new(1)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        rd_kafka_topic_partition_list_add(list, topic, partition)
        _ = pause ? rd_kafka_pause_partitions(rawClient, list) : rd_kafka_resume_partitions(rawClient, list)
    }

    /// Pauses (or resumes) fetching for every partition this member owns. A paused partition's
    /// fetched records are discarded by librdkafka and fetched again from the position after
    /// the last record it handed over (which waits in its lane), so nothing is skipped.
    func pauseAssignment(_ pause: Bool) {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(rawClient, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        _ = pause ? rd_kafka_pause_partitions(rawClient, list) : rd_kafka_resume_partitions(rawClient, list)
    }

    /// "topic/partition" of every partition this member owns now.
    private func assignment() -> Set<String> {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(rawClient, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        guard let elements = list.pointee.elems else { return [] }
        return Set(
            (0..<Int(list.pointee.cnt)).map { "\(String(cString: elements[$0].topic))/\(elements[$0].partition)" })
    }
}
