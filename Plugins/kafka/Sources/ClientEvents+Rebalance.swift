import CRdKafka
import DriverKit

extension ClientEvents {
    /// librdkafka's rebalance callback (served by consumer_poll on the consumer thread): takes
    /// or gives up `partitions` as the group decided, and logs them, so operators (and the
    /// end-to-end tests) can see when input is really listening.
    ///
    /// The cooperative protocol (`consumerGroupRebalanceStrategy: sticky`) moves only the
    /// partitions that change hands (incremental assign); the eager ones replace the assignment.
    func rebalance(
        _ client: OpaquePointer, assigned: Bool, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    ) {
        let cooperative = String(cString: rd_kafka_rebalance_protocol(client)) == "COOPERATIVE"
        // The answered records of the partitions that go are committed first (KafkaConsumer+Revoke).
        if !assigned { revoking(Self.keys(partitions)) }
        var failure: String?
        if cooperative {
            let error =
                assigned
                ? rd_kafka_incremental_assign(client, partitions) : rd_kafka_incremental_unassign(client, partitions)
            if let error {
                failure = String(cString: rd_kafka_error_string(error))
                rd_kafka_error_destroy(error)
            }
        } else {
            let status = rd_kafka_assign(client, assigned ? partitions : nil)
            if status != RD_KAFKA_RESP_ERR_NO_ERROR { failure = KafkaClient.describe(status) }
        }
        // A partition paused while a commit waited for the rebalance stays paused across
        // unassign and assign in librdkafka: a fresh assignment starts from the committed offset.
        if assigned, let partitions { _ = rd_kafka_resume_partitions(client, partitions) }
        let names = Self.names(partitions)
        if let failure {
            log(
                .error,
                "bindings.kafka \(component): cannot \(assigned ? "take" : "give up") partitions \(names): \(failure)")
        } else {
            log(.info, "bindings.kafka \(component): \(assigned ? "assigned" : "revoked") partitions \(names)")
        }
    }

    /// "topic/partition" of each entry.
    static func keys(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) -> Set<String> {
        guard let list, let elements = list.pointee.elems else { return [] }
        return Set(
            (0..<Int(list.pointee.cnt)).map { "\(String(cString: elements[$0].topic))/\(elements[$0].partition)" })
    }

    /// `topic[partition]` for each entry, comma-separated.
    private static func names(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) -> String {
        guard let list, let elements = list.pointee.elems else { return "(none)" }
        let count = Int(list.pointee.cnt)
        guard count > 0 else { return "(none)" }
        return (0..<count).map { index in
            "\(String(cString: elements[index].topic))[\(elements[index].partition)]"
        }.joined(separator: ",")
    }
}
