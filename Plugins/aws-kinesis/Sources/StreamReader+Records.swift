import AWSKit
import DriverJSON
import DriverKit

/// The reader's side of the stream: reading a shard's batches, handing their records to the app
/// one at a time, and positioning a shard's iterator.
extension StreamReader {
    /// Hands out what is due on shard `id`; once its batch is settled, checkpoints it and reads
    /// the next one. True when it read records (the loop goes round again at once).
    func service(_ id: String) async -> Bool {
        emitDue(id)
        guard let shard = state.withLock({ $0.shards[id] }), shard.batch.isSettled,
            monotonicNow() >= shard.pauseUntil
        else { return false }
        if shard.checkpoint != shard.written, let checkpoint = shard.checkpoint {
            guard await write(id, checkpoint: checkpoint) else { return false }
        }
        if shard.ended {
            await finish(id)
            return false
        }
        if shard.iterator == nil { await position(id) }
        guard let iterator = state.withLock({ $0.shards[id]?.iterator }) else { return false }
        return await read(id, from: iterator, after: shard.checkpoint)
    }

    /// Reads the next batch of shard `id` with `iterator` (its batch before settled at
    /// `checkpoint`) and hands out its first record. True when it read records or the shard ended.
    private func read(_ id: String, from iterator: String, after checkpoint: String?) async -> Bool {
        let reply: JSONValue
        do {
            reply = try await kinesis.json(
                "Kinesis_20131202.GetRecords",
                jsonObject([("ShardIterator", .string(iterator)), ("Limit", .number(String(timings.limit)))]),
                version: .v11, timeoutMilliseconds: timings.callTimeoutMilliseconds,
                retry: false)
        } catch {
            report(error, "shard \(id) of stream \"\(stream)\"")
            let keep = Self.keepsIterator(after: error)
            state.withLock { state in
                if !keep { state.shards[id]?.iterator = nil }
                if !error.code.hasSuffix("ExpiredIteratorException") {
                    state.shards[id]?.pauseUntil = monotonicNow() + nanoseconds(timings.retry)
                }
            }
            return false
        }
        let records = Self.records(in: reply)
        let next = reply["NextShardIterator"]?.string
        state.withLock { state in
            guard state.shards[id] != nil else { return }
            state.shards[id]?.settled = checkpoint
            state.shards[id]?.batch = ShardBatch(records)
            state.shards[id]?.iterator = next
            state.shards[id]?.ended = next == nil
        }
        emitDue(id)
        return !records.isEmpty || next == nil
    }

    /// The records of a GetRecords reply, in order.
    static func records(in reply: JSONValue) -> [ShardBatch.Record] {
        guard case .array(let items)? = reply["Records"] else { return [] }
        return items.compactMap { item in
            guard let sequence = item["SequenceNumber"]?.string,
                let text = item["Data"]?.string, let data = try? Base64.decode(Array(text.utf8))
            else { return nil }
            return ShardBatch.Record(
                sequenceNumber: sequence, partitionKey: item["PartitionKey"]?.string ?? "", data: data)
        }
    }

    /// Hands the app the next record of shard `id` if it is due (one record of a shard at a time).
    func emitDue(_ id: String) {
        let now = monotonicNow()
        let due = state.withLock { state -> (Int, ShardBatch.Record)? in
            guard !state.stopping, let shard = state.shards[id], let index = shard.batch.next(at: now) else {
                return nil
            }
            return (index, shard.batch.records[index])
        }
        guard let (index, record) = due else { return }
        let metadata = ["partitionKey": record.partitionKey, "sequenceNumber": record.sequenceNumber, "shardId": id]
        guard case .accepted(let delivery) = emit(record.data, metadata) else { return }
        state.withLock { state in
            guard state.shards[id] != nil else { return }
            state.shards[id]?.batch.handedOut(index, as: delivery)
            state.counts.emitted += 1
            if let succeeded = state.early.removeValue(forKey: delivery) {
                answer(&state, shard: id, delivery, succeeded: succeeded, retryAt: now + nanoseconds(timings.retry))
            } else {
                state.deliveries[delivery] = id
            }
        }
    }

    /// Whether a shard's iterator still serves after GetRecords failed with `error`: yes when no
    /// answer came (a timeout, a dropped connection) or the answer was throttling or a server
    /// error, since an iterator stays valid for 5 minutes and may be used again (the same records
    /// come); no for anything else (ExpiredIteratorException, an invalid iterator, a missing
    /// stream), after which the shard is positioned again.
    static func keepsIterator(after error: AWSError) -> Bool {
        error.transport != nil || error.isRetryable
    }

    /// Gets an iterator for shard `id`: after its checkpoint; without one at the initial
    /// position, except that a shard this reader already read from LATEST resumes at the time it
    /// first did (`startingPoint`), so that records put while its iterator was lost still come.
    func position(_ id: String) async {
        let now = LeaseTime.now()
        let found = state.withLock { state -> (checkpoint: String?, latestSince: Int64?)? in
            guard let shard = state.shards[id] else { return nil }
            let since = state.latestSince[id]
            if shard.checkpoint == nil, initialPosition == .latest, since == nil { state.latestSince[id] = now }
            return (shard.checkpoint, since)
        }
        guard let found else { return }
        // Only called with the batch settled: its last record is where reading goes on.
        let parameters =
            [("StreamName", .string(stream)), ("ShardId", .string(id))]
            + Self.startingPoint(after: found.checkpoint, latestSince: found.latestSince, initial: initialPosition)
        do {
            let reply = try await kinesis.json(
                "Kinesis_20131202.GetShardIterator", jsonObject(parameters), version: .v11,
                timeoutMilliseconds: timings.callTimeoutMilliseconds,
                retry: false)
            let iterator = reply["ShardIterator"]?.string
            state.withLock { state in
                state.shards[id]?.iterator = iterator
                // A closed shard read to its end has no iterator: nothing more to read.
                if iterator == nil { state.shards[id]?.ended = true }
            }
        } catch {
            report(error, "shard \(id) of stream \"\(stream)\"")
            state.withLock { $0.shards[id]?.pauseUntil = monotonicNow() + nanoseconds(timings.retry) }
        }
    }

    /// GetShardIterator's type and start: AFTER_SEQUENCE_NUMBER `checkpoint`; without a
    /// checkpoint, AT_TIMESTAMP `latestSince` (nanoseconds since 1970, when this reader first
    /// read the shard from LATEST) if set, else `initial`. A LATEST taken again would skip every
    /// record put since reading began and before the new iterator.
    static func startingPoint(
        after checkpoint: String?, latestSince: Int64?, initial: KinesisSettings.InitialPosition
    ) -> [(String, JSONValue)] {
        if let checkpoint {
            return [
                ("ShardIteratorType", .string("AFTER_SEQUENCE_NUMBER")),
                ("StartingSequenceNumber", .string(checkpoint)),
            ]
        }
        guard let since = latestSince, initial == .latest else {
            return [("ShardIteratorType", .string(initial.rawValue))]
        }
        // Epoch seconds with milliseconds (AWS JSON's timestamp); Kinesis returns the records
        // that arrived at or after it.
        let milliseconds = since / 1_000_000
        let fraction = String(milliseconds % 1000)
        let seconds = "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
        return [("ShardIteratorType", .string("AT_TIMESTAMP")), ("Timestamp", .number(seconds))]
    }
}
