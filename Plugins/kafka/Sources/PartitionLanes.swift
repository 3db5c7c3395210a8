import DriverKit
import Synchronization

/// One assigned partition's records on their way to the app: at most one in the app's hands
/// (`current`), the ones fetched after it waiting in offset order. So records of one partition
/// reach the app in order and each is answered before the next is sent, while other partitions
/// go on. A class, so the lane's queue is changed in place (a struct copied out of the
/// dictionary would copy its queue on every append).
final class Lane {
    let topic: String
    let partition: Int32
    /// The record in the app's hands, or about to be (not emitted yet, or waiting to be
    /// delivered again after a failure).
    var current: KafkaRecord?
    /// Nil while `current` is not in the app's hands.
    var deliveryID: UInt64?
    /// Failed deliveries of `current` so far.
    var attempt = 0
    /// When `current` may be delivered again (CLOCK_MONOTONIC ns; 0: at once).
    var notBefore: UInt64 = 0
    /// Records fetched behind `current`, from `head` on (consumed slots are dropped in chunks).
    var waiting: [KafkaRecord] = []
    var head = 0
    /// Bytes of the waiting records (values, metadata names and values).
    var waitingBytes = 0
    /// Fetching is paused while too much waits.
    var paused = false

    init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    var waitingCount: Int { waiting.count - head }

    func append(_ record: KafkaRecord) {
        waiting.append(record)
        waitingBytes += record.footprint
    }

    func takeNext() -> KafkaRecord? {
        guard head < waiting.count else { return nil }
        let record = waiting[head]
        head += 1
        waitingBytes -= record.footprint
        if head == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        return record
    }

    /// Whether so much waits that fetching should pause (`pausing`) or may resume (a quarter left).
    func isFull(pausing: Bool) -> Bool {
        let scale = pausing ? 1 : 4
        return waitingCount * scale >= PartitionLanes.pauseAt || waitingBytes * scale >= PartitionLanes.pauseBytes
    }
}

/// Every partition's lane, keyed "topic/partition"; used on the consumer thread only (polling,
/// and the rebalance callback served by its poll), hence `@unchecked Sendable`.
final class PartitionLanes: @unchecked Sendable {
    /// Records, or bytes, waiting in one lane before its partition's fetching pauses (resumed
    /// once a quarter are left): a partition whose record the app holds does not fill memory.
    /// High, because a pause drops what librdkafka prefetched for the partition, fetched again on
    /// resume: pausing at 1,000 records, bench/kafka_input.py ran at about 2,000 records/s,
    /// against 2,600 to 3,800 without pauses in the same minutes.
    static let pauseAt = 10_000
    static let pauseBytes = 8 << 20

    private(set) var lanes: [String: Lane] = [:]
    /// Which lane each delivery in the app's hands belongs to.
    private var owners: [UInt64: String] = [:]
    private let waitingTotal = Atomic(0)
    private let pauses = Atomic(0)
    let delivery: InputDelivery

    init(delivery: InputDelivery) { self.delivery = delivery }

    static func key(_ topic: String, _ partition: Int32) -> String { "\(topic)/\(partition)" }

    /// Queues a fetched record; true when its partition should pause fetching now. A record
    /// below `answeredBelow` (the partition's next offset to commit, CommitLedger) was already
    /// answered by the app: it is fetched again because its commit was refused during a
    /// rebalance that gave the partition back to this member, and is not delivered again.
    func add(_ record: KafkaRecord, answeredBelow: Int64?) -> Bool {
        if let answeredBelow, record.offset < answeredBelow { return false }
        let key = Self.key(record.topic, record.partition)
        let lane = lanes[key] ?? Lane(topic: record.topic, partition: record.partition)
        if lanes[key] == nil { lanes[key] = lane }
        lane.append(record)
        waitingTotal.add(1, ordering: .relaxed)
        let pause = !lane.paused && lane.isFull(pausing: true)
        if pause {
            lane.paused = true
            pauses.add(1, ordering: .relaxed)
        }
        return pause
    }

    /// Takes the app's answers: returns the offsets that may now be committed (the next offset
    /// of each partition whose current record was answered for good), and schedules failed
    /// records for another delivery.
    func settle(now: UInt64) -> [(topic: String, partition: Int32, next: Int64)] {
        var commits: [(topic: String, partition: Int32, next: Int64)] = []
        for (id, kind) in delivery.takeAnswers() {
            // An answer for a record whose partition was revoked meanwhile: its lane is gone.
            guard let key = owners.removeValue(forKey: id), let lane = lanes[key], lane.deliveryID == id,
                let record = lane.current
            else { continue }
            lane.deliveryID = nil
            if kind != .ack { lane.attempt += 1 }
            switch delivery.verdict(kind, for: record, attempt: lane.attempt) {
            case .commit:
                lane.current = nil
                lane.attempt = 0
                lane.notBefore = 0
                commits.removeAll { $0.topic == record.topic && $0.partition == record.partition }
                commits.append((record.topic, record.partition, record.offset + 1))
            case .again(let milliseconds):
                lane.notBefore = now + UInt64(max(milliseconds, 0)) * 1_000_000
            }
        }
        return commits
    }

    /// What `emitReady` ran into.
    enum Emitted: Equatable {
        /// Everything ready was emitted; `wake` is the earliest retry deadline, if any.
        case done(wake: UInt64?)
        /// The host has as many unanswered events as it allows: wait for an answer.
        case busy
        case stopped
    }

    /// Hands the app the next record of every lane that has none in the app's hands, except
    /// lanes `blocked` says wait for their previous record's commit (CommitLedger).
    func emitReady(now: UInt64, blocked: (String) -> Bool) -> Emitted {
        var wake: UInt64?
        for (key, lane) in lanes {
            if lane.current == nil {
                if blocked(key) { continue }
                lane.current = lane.takeNext()
                if lane.current != nil { waitingTotal.subtract(1, ordering: .relaxed) }
            }
            guard let record = lane.current, lane.deliveryID == nil else { continue }
            if lane.notBefore > now {
                wake = min(wake ?? .max, lane.notBefore)
                continue
            }
            switch delivery.emit(record) {
            case .accepted(let id):
                lane.deliveryID = id
                owners[id] = key
            case .busy: return .busy
            case .stopped: return .stopped
            }
        }
        return .done(wake: wake)
    }

    /// Lanes paused for their backlog that have drained enough to fetch again (marked resumed).
    func drained() -> [(topic: String, partition: Int32)] {
        var resumed: [(topic: String, partition: Int32)] = []
        for lane in lanes.values where lane.paused && !lane.isFull(pausing: false) {
            lane.paused = false
            resumed.append((lane.topic, lane.partition))
        }
        return resumed
    }

    /// Partitions paused for their backlog.
    var paused: [(topic: String, partition: Int32)] {
        lanes.values.filter(\.paused).map { ($0.topic, $0.partition) }
    }

    /// Delivery ids the app holds for the partitions `keys`.
    func held(in keys: Set<String>) -> Set<UInt64> {
        Set(keys.compactMap { lanes[$0]?.deliveryID })
    }

    /// Forgets the lanes of `keys` (revoked partitions, or every lane when input stops): their
    /// records are not committed and the partition's next owner fetches them again. Returns
    /// how many records the app still held.
    @discardableResult
    func remove(_ keys: Set<String>) -> Int {
        var held = 0
        for key in keys {
            guard let lane = lanes.removeValue(forKey: key) else { continue }
            waitingTotal.subtract(lane.waitingCount, ordering: .relaxed)
            if let id = lane.deliveryID {
                owners[id] = nil
                held += 1
            }
        }
        if held > 0 { delivery.released(held) }
        return held
    }

    var keys: Set<String> { Set(lanes.keys) }

    /// Records waiting in every lane (any thread; tests).
    var backlog: Int { waitingTotal.load(ordering: .relaxed) }

    /// How many times a lane paused its partition's fetching (any thread; tests).
    var pauseCount: Int { pauses.load(ordering: .relaxed) }
}
