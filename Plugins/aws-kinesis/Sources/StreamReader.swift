import AWSKit
import DriverJSON
import DriverKit
import Synchronization

/// The input of `bindings.aws.kinesis` in Dapr's `shared` mode: what Dapr's KCL worker does, on
/// one task. It leases shards in the lease table (`LeaseTable`), reads each leased shard with
/// GetShardIterator and GetRecords, hands the records to the app in shard order, and
/// checkpoints a shard only over records the app answered with success (`ShardBatch`).
///
/// Where Dapr's worker checkpoints every batch whatever the app answered (a failed record is
/// lost), this one hands a failed record out again after `Timings.retry` and never checkpoints
/// past it. After a stop or a crash, reading resumes after the checkpoint: records the app had
/// answered but that were not checkpointed yet come again (at most one batch per shard after a
/// crash; none after a clean stop, which checkpoints what was answered and releases the leases).
///
/// State lives behind one Mutex, held only for short sections: the loop does I/O outside it,
/// and `acknowledge` (any host thread) only marks an answer and wakes the loop.
final class StreamReader: Sendable {
    typealias Emit = @Sendable (_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome
    typealias Log = @Sendable (LogLevel, String) -> Void

    /// How often the loop does what; KCL's defaults unless said otherwise. Tests shorten them.
    struct Timings: Sendable {
        /// The pause after a GetRecords that returned nothing (KCL's idleTimeBetweenReads: 1 s).
        var idle: Duration = .seconds(1)
        /// How long a lease lasts unless renewed (KCL's failoverTime: 10 s).
        var lease: Duration = .seconds(10)
        /// How often held leases are renewed (and partial progress checkpointed).
        var renew: Duration = .seconds(3)
        /// How often the shard list is read and free leases taken.
        var sync: Duration = .seconds(5)
        /// How long a failed record waits before it is handed out again.
        var retry: Duration = .seconds(1)
        /// How long a stop waits for the app's answers to the records in its hands before it
        /// checkpoints: the host still delivers them, and answers them, after stop began.
        var answers: Duration = .seconds(2)
        /// Records per GetRecords (KCL's maxRecords is 10,000; a smaller batch bounds memory).
        var limit = 1000
        /// How long one call to Kinesis or DynamoDB may take (a hung server must not hang the
        /// loop, nor the stop that waits for it: a stop waits for the call in flight, then
        /// releases every lease at once, so about twice this at most). The loop's calls are not
        /// retried inside the client: the loop itself tries again, after `retry` (reads) or at
        /// the next renewal or sync (the lease table). Only the table's creation at start is.
        var callTimeoutMilliseconds: Int64 = 10_000
    }

    /// What the reader did so far (tests, logs).
    struct Counts: Sendable, Equatable {
        var emitted = 0
        var acknowledged = 0
        var failed = 0
        var checkpoints = 0
        var leasesTaken = 0
        var leasesLost = 0
    }

    struct Shard {
        var lease: LeaseTable.Lease
        var iterator: String?
        /// The checkpoint of everything before the current batch: where a new iterator starts.
        var settled: String?
        var batch = ShardBatch([])
        /// GetRecords gave no next iterator: the shard is closed and read to its end.
        var ended = false
        /// The checkpoint last written to the table.
        var written: String?
        /// No reads before this monotonic time (after an error).
        var pauseUntil: UInt64 = 0

        /// What a checkpoint may say now.
        var checkpoint: String? { batch.checkpoint ?? settled }
    }

    struct State {
        var shards: [String: Shard] = [:]
        /// Delivery id → shard, for the app's answers.
        var deliveries: [UInt64: String] = [:]
        /// Answers that came before their delivery was registered (the host may answer fast).
        var early: [UInt64: Bool] = [:]
        /// Shards whose table item says SHARD_END.
        var finished: Set<String> = []
        var tableReady = false
        var counts = Counts()
        var stopping = false
        var lastError: String?
        /// When this reader first read each shard from LATEST (nanoseconds since 1970): where a
        /// shard with no checkpoint yet resumes if its iterator is lost (see `position`).
        var latestSince: [String: Int64] = [:]
    }

    let stream: String
    let component: String
    let kinesis: AWSClient
    let leases: LeaseTable
    let initialPosition: KinesisSettings.InitialPosition
    let timings: Timings
    let emit: Emit
    let log: Log
    let state = Mutex(State())
    private let wakeup = Wakeup()
    private let loop = Mutex<Task<Void, Never>?>(nil)

    init(
        stream: String, component: String, kinesis: AWSClient, leases: LeaseTable,
        initialPosition: KinesisSettings.InitialPosition, timings: Timings, emit: @escaping Emit, log: @escaping Log
    ) {
        self.stream = stream
        self.component = component
        self.kinesis = kinesis
        self.leases = leases
        self.initialPosition = initialPosition
        self.timings = timings
        self.emit = emit
        self.log = log
    }

    var counts: Counts { state.withLock { $0.counts } }

    /// The shards this reader holds the lease of.
    var heldShards: [String] { state.withLock { $0.shards.keys.sorted() } }

    /// Checks that the stream exists, creates the lease table if needed, takes the free leases
    /// and positions their iterators (so `latest` means "after start returned"), then runs the
    /// loop. Fails, naming the table or the stream, when either cannot be reached.
    func start() async throws(DriverError) {
        let shards: [ShardListing]
        do {
            shards = try await listShards()
        } catch {
            throw error.driverError(component, about: "stream \"\(stream)\"")
        }
        try await leases.ensure()
        state.withLock { $0.tableReady = true }
        await take(shards)
        for id in heldShards { await position(id) }
        let task = Task { await self.run() }
        loop.withLock { $0 = task }
    }

    /// Stops handing out records, waits briefly for the app's answers to those in its hands,
    /// checkpoints what the app answered, releases the leases, and returns once the loop ended.
    func stop() async {
        state.withLock { $0.stopping = true }
        wakeup.signal()
        await loop.withLock({ $0 })?.value
    }

    /// The app's answer to delivery `id`.
    func acknowledge(_ id: UInt64, _ kind: Acknowledgement.Kind) {
        let succeeded = kind != .retry
        let retryAt = monotonicNow() + nanoseconds(timings.retry)
        state.withLock { state in
            guard let shardID = state.deliveries.removeValue(forKey: id) else {
                if state.early.count > 10_000 { state.early.removeAll() }
                state.early[id] = succeeded
                return
            }
            answer(&state, shard: shardID, id, succeeded: succeeded, retryAt: retryAt)
        }
        wakeup.signal()
    }

    func answer(_ state: inout State, shard: String, _ id: UInt64, succeeded: Bool, retryAt: UInt64) {
        guard state.shards[shard]?.batch.answer(id, succeeded: succeeded, retryAt: retryAt) == true else { return }
        if succeeded { state.counts.acknowledged += 1 } else { state.counts.failed += 1 }
    }

    // MARK: The loop

    private func run() async {
        var nextSync = monotonicNow() + nanoseconds(timings.sync)
        var nextRenew = monotonicNow() + nanoseconds(timings.renew)
        while !state.withLock({ $0.stopping }) {
            if monotonicNow() >= nextSync {
                if let shards = await syncTableAndShards() { await take(shards) }
                nextSync = monotonicNow() + nanoseconds(timings.sync)
            }
            if monotonicNow() >= nextRenew {
                await renewAll()
                nextRenew = monotonicNow() + nanoseconds(timings.renew)
            }
            var progressed = false
            // A stop does not wait for every shard's read against a hung Kinesis.
            for id in heldShards where !state.withLock({ $0.stopping }) {
                if await service(id) { progressed = true }
            }
            if progressed || state.withLock({ $0.stopping }) { continue }
            let now = monotonicNow()
            var wake = min(now + nanoseconds(timings.idle), nextSync, nextRenew)
            // A retry already due waits for an answer instead (the host was busy): no spinning.
            for retry in state.withLock({ $0.shards.values.compactMap { $0.batch.nextRetry } }) where retry > now {
                wake = min(wake, retry)
            }
            if wake > now { await wakeup.wait(for: .nanoseconds(Int64(wake - now))) }
        }
        await awaitAnswers()
        await releaseAll()
    }

    /// At stop: waits, up to `Timings.answers`, until the app has answered every record it
    /// holds, so that the checkpoints released cover them and the next reader does not deliver
    /// them again. An app that does not answer costs the stop that long; its records come again.
    private func awaitAnswers() async {
        let deadline = monotonicNow() + nanoseconds(timings.answers)
        while state.withLock({ $0.shards.values.contains { !$0.batch.inFlightIDs.isEmpty } }) {
            let now = monotonicNow()
            guard now < deadline else { return }
            await wakeup.wait(for: .nanoseconds(Int64(deadline - now)))
        }
    }
}
