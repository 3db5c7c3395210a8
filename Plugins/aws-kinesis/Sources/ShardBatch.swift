/// One GetRecords batch of a shard, record by record, from its fetch until the app has answered
/// every record: which record goes to the app next, and how far the shard may be checkpointed.
///
/// A shard's records go to the app one at a time, in order, as Dapr's KCL record processor
/// hands them over (it calls the app for each record and waits for the answer): the next record
/// only once the app answered the previous one with success. A record the app failed is handed
/// out again (at its retry time) before any later one, so the shard keeps its order and the
/// checkpoint ("every record up to this sequence number is done", KCL's meaning) never passes
/// an unanswered record. The next batch is fetched once this one is settled, so memory stays
/// one batch per shard.
struct ShardBatch: Sendable {
    struct Record: Sendable, Equatable {
        var sequenceNumber: String
        var partitionKey: String
        var data: [UInt8]
    }

    enum State: Sendable, Equatable {
        /// Not handed to the app yet (or refused by the host as busy).
        case waiting
        /// With the app under this delivery id.
        case inFlight(UInt64)
        /// Failed by the app; hand out again at this monotonic time (nanoseconds).
        case retry(at: UInt64)
        /// Answered with success (or dropped by the app): done.
        case done
    }

    private(set) var records: [Record]
    private(set) var states: [State]
    /// How many records from the start are done.
    private(set) var donePrefix = 0

    init(_ records: [Record]) {
        self.records = records
        states = Array(repeating: .waiting, count: records.count)
    }

    var isSettled: Bool { donePrefix == records.count }

    /// The sequence number a checkpoint may name now: the last of the done prefix, nil if none.
    var checkpoint: String? { donePrefix == 0 ? nil : records[donePrefix - 1].sequenceNumber }

    /// The index of the record to hand to the app at `now`: the first one not done, unless it
    /// is with the app or waits for its retry time; nil when there is none.
    func next(at now: UInt64) -> Int? {
        guard donePrefix < states.count else { return nil }
        switch states[donePrefix] {
        case .waiting: return donePrefix
        case .retry(let at): return at <= now ? donePrefix : nil
        case .inFlight, .done: return nil
        }
    }

    /// The earliest retry time of a failed record, if any.
    var nextRetry: UInt64? {
        states.compactMap { if case .retry(let at) = $0 { at } else { nil } }.min()
    }

    /// Record `index` went to the app as delivery `id`.
    mutating func handedOut(_ index: Int, as id: UInt64) { states[index] = .inFlight(id) }

    /// The app answered delivery `id`: success (or drop) marks it done, failure schedules it
    /// again at `retryAt`. Returns false when no record of this batch has that delivery id.
    @discardableResult
    mutating func answer(_ id: UInt64, succeeded: Bool, retryAt: UInt64) -> Bool {
        guard let index = states.firstIndex(of: .inFlight(id)) else { return false }
        states[index] = succeeded ? .done : .retry(at: retryAt)
        while donePrefix < states.count, states[donePrefix] == .done { donePrefix += 1 }
        return true
    }

    /// The records with the app now (their delivery ids), for a stop that gives up on them.
    var inFlightIDs: [UInt64] {
        states.compactMap { if case .inFlight(let id) = $0 { id } else { nil } }
    }
}
