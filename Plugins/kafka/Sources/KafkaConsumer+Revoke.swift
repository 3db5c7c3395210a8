import CRdKafka
import DriverKit

extension KafkaConsumer {
    /// How long partitions being revoked wait for the app to answer the records it holds, so
    /// those are committed rather than delivered again by the next owner (the group waits for
    /// this member meanwhile; librdkafka keeps heartbeating).
    static let revokeGraceNanoseconds: UInt64 = 30_000_000_000

    /// Gives up the partitions `keys` (revoked by a rebalance, or all of them when input stops),
    /// on the consumer thread: waits for the app's answers to the records it holds of them
    /// (not when input is stopping), commits every answered offset synchronously, and forgets
    /// their lanes. A record still unanswered stays uncommitted: the next owner delivers it again.
    func release(_ keys: Set<String>, lanes: PartitionLanes) {
        guard !keys.isEmpty else { return }
        let deadline = MonotonicClock.now() + Self.revokeGraceNanoseconds
        var answered = lanes.settle(now: MonotonicClock.now())
        while !delivery.isStopping, MonotonicClock.now() < deadline {
            let held = lanes.held(in: keys)
            if held.isEmpty { break }
            delivery.waitForAnswer(among: held, until: deadline)
            answered += lanes.settle(now: MonotonicClock.now())
        }
        // The latest answered offset of each partition (async commits may still be on their way).
        ledger.answered(answered)
        let touched = keys.union(answered.map { PartitionLanes.key($0.topic, $0.partition) })
        let latest = touched.compactMap { ledger.latest($0) }
        let held = lanes.remove(keys)
        if commit(latest) {
            ledger.forget(keys)
        } else {
            // Committed after the rebalance if the partitions come back (their records below
            // the answered offset are then not delivered again); otherwise forgotten by retry.
            let refused = Set(latest.map { PartitionLanes.key($0.topic, $0.partition) })
            ledger.forget(keys.subtracting(refused))
            ledger.result(done: [], committed: 0, refused: refused)
            log(
                .info,
                "the commit of \(latest.map { "\($0.topic)/\($0.partition)@\($0.next)" }) was refused while giving up partitions; it is made again if they come back, else their next owner delivers the records since the last commit again"
            )
        }
        if held > 0 {
            log(
                .info, "\(held) record(s) the app had not answered when giving up their partitions are left uncommitted"
            )
        }
    }
}
