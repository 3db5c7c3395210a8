import CRdKafka
import DriverKit
import Synchronization

/// The offsets the app answered, per partition, and their commits: one asynchronous commit is
/// on its way at a time, carrying the latest answered offset of every partition answered since
/// the previous one (fewer requests than one per record); an offset answered meanwhile waits for
/// it (`queued`), and its partition's next record waits for that (PartitionLanes.emitReady). So
/// the app works on a partition's next record while the previous one's commit travels, and at
/// most two answered records per partition are not yet committed when the group rebalances or
/// bindery crashes.
/// Used on the consumer thread (the commit callback is served by its poll); `committed` is read
/// by tests.
final class CommitLedger: Sendable {
    typealias Offset = (topic: String, partition: Int32, next: Int64)

    private struct State {
        /// The latest offset the app answered per "topic/partition": the next one to commit.
        var answered: [String: Offset] = [:]
        var inFlight: Set<String> = []
        var queued: [String: Offset] = [:]
        /// Partitions whose asynchronous commit the group refused.
        var refused: Set<String> = []
        var committed = 0
    }

    private let state = Mutex(State())

    var committed: Int { state.withLock { $0.committed } }

    func answered(_ offsets: [Offset]) {
        state.withLock { state in
            for entry in offsets { state.answered[PartitionLanes.key(entry.topic, entry.partition)] = entry }
        }
    }

    /// The latest answered offset of `key`, if any.
    func latest(_ key: String) -> Offset? { state.withLock { $0.answered[key] } }

    /// Whether `key` has an answered offset waiting for the commit on its way.
    func isQueued(_ key: String) -> Bool { state.withLock { $0.queued[key] != nil } }

    /// Of `offsets`, those to commit now (marked in flight): all of them when no commit is on
    /// its way, else none (they queue, and go out together when it is back).
    func admit(_ offsets: [Offset]) -> [Offset] {
        state.withLock { state in
            for entry in offsets { state.queued[PartitionLanes.key(entry.topic, entry.partition)] = entry }
            return Self.takeReady(&state)
        }
    }

    /// The queued offsets, once no commit is on its way any more (marked in flight).
    func takeReady() -> [Offset] { state.withLock { Self.takeReady(&$0) } }

    private static func takeReady(_ state: inout State) -> [Offset] {
        guard state.inFlight.isEmpty else { return [] }
        let ready = state.queued
        state.queued = [:]
        state.inFlight = Set(ready.keys)
        return Array(ready.values)
    }

    /// A synchronous commit covered `keys` up to their latest answered offset.
    func covered(_ keys: Set<String>) {
        state.withLock { state in
            for key in keys { state.queued[key] = nil }
        }
    }

    func forget(_ keys: Set<String>) {
        state.withLock { state in
            for key in keys {
                state.answered[key] = nil
                state.queued[key] = nil
            }
        }
    }

    /// Records a commit's result: `done` partitions' commits came back (`committed` of them
    /// went through), `refused` did not go through.
    func result(done: Set<String>, committed count: Int, refused: Set<String>) {
        state.withLock { state in
            state.inFlight.subtract(done)
            state.committed += count
            state.refused.formUnion(refused)
        }
    }

    /// The refused partitions since the last call; their queued offsets are dropped (the retry
    /// commits the latest answered offset).
    func takeRefused() -> Set<String> {
        state.withLock { state in
            defer { state.refused = [] }
            for key in state.refused { state.queued[key] = nil }
            return state.refused
        }
    }
}

extension KafkaConsumer {
    /// Commits `offsets` without waiting (those of a partition with a commit on its way queue
    /// behind it). The result is served by the consumer's poll, which it wakes.
    func commitAsync(_ offsets: [CommitLedger.Offset]) {
        guard !offsets.isEmpty else { return }
        ledger.answered(offsets)
        send(ledger.admit(offsets))
    }

    private func send(_ offsets: [CommitLedger.Offset]) {
        guard !offsets.isEmpty else { return }
        let list = Self.partitionList(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let status = rd_kafka_commit_queue(
            rawClient, list, consumerQueue,
            { client, error, offsets, opaque in
                guard let opaque else { return }
                Unmanaged<CommitLedger>.fromOpaque(opaque).takeUnretainedValue().record(error, offsets)
                // Back to the consumer loop, which sends what queued behind this commit.
                rd_kafka_yield(client)
            }, Unmanaged.passUnretained(ledger).toOpaque())
        if status != RD_KAFKA_RESP_ERR_NO_ERROR {
            let keys = Set(offsets.map { PartitionLanes.key($0.topic, $0.partition) })
            ledger.result(done: keys, committed: 0, refused: keys)
        }
    }

    /// After the poll served commit results: a partition whose commit the group refused joins
    /// `pending` with its latest answered offset, and delivery pauses until it commits; offsets
    /// queued behind a commit that came back are sent.
    func serveCommitResults(_ pending: inout PendingCommits) {
        let refused = ledger.takeRefused()
        for key in refused {
            guard let latest = ledger.latest(key) else { continue }
            pending.add(latest.topic, latest.partition, next: latest.next)
        }
        if !refused.isEmpty, !pending.isEmpty { pauseAssignment(true) }
        send(ledger.takeReady())
    }

    /// Commits each (topic, partition, next offset) synchronously; false when the group refused
    /// it for now (a rebalance in progress, a generation that just changed).
    func commit(_ offsets: [CommitLedger.Offset]) -> Bool {
        guard !offsets.isEmpty else { return true }
        ledger.answered(offsets)
        let list = Self.partitionList(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let status = rd_kafka_commit(rawClient, list, 0)
        guard status == RD_KAFKA_RESP_ERR_NO_ERROR else {
            log(
                .debug,
                "commit of \(offsets.map { "\($0.topic)/\($0.partition)@\($0.next)" }) refused for now: \(KafkaClient.describe(status))"
            )
            return false
        }
        ledger.result(done: [], committed: offsets.count, refused: [])
        ledger.covered(Set(offsets.map { PartitionLanes.key($0.topic, $0.partition) }))
        return true
    }

    private static func partitionList(
        _ offsets: [CommitLedger.Offset]
    ) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))!
        for entry in offsets {
            rd_kafka_topic_partition_list_add(list, entry.topic, entry.partition)?.pointee.offset = entry.next
        }
        return list
    }
}

extension CommitLedger {
    /// An asynchronous commit's result (librdkafka's callback, served on the consumer thread).
    func record(_ error: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) {
        guard let list, let elements = list.pointee.elems else { return }
        var committed = 0
        var done: Set<String> = []
        var refused: Set<String> = []
        for index in 0..<Int(list.pointee.cnt) {
            let element = elements[index]
            let key = PartitionLanes.key(String(cString: element.topic), element.partition)
            done.insert(key)
            if error == RD_KAFKA_RESP_ERR_NO_ERROR && element.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                committed += 1
            } else {
                refused.insert(key)
            }
        }
        result(done: done, committed: committed, refused: refused)
    }
}
