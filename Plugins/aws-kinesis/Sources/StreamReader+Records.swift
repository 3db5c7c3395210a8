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
            state.withLock { state in
                state.shards[id]?.iterator = nil
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
                let data = item["Data"]?.string.flatMap(Base64.decode)
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

    /// Gets an iterator for shard `id`: after its checkpoint, else at the initial position.
    func position(_ id: String) async {
        guard let shard = state.withLock({ $0.shards[id] }) else { return }
        var parameters: [(String, JSONValue)] = [("StreamName", .string(stream)), ("ShardId", .string(id))]
        // Only called with the batch settled: its last record is where reading goes on.
        if let after = shard.checkpoint {
            parameters += [
                ("ShardIteratorType", .string("AFTER_SEQUENCE_NUMBER")), ("StartingSequenceNumber", .string(after)),
            ]
        } else {
            parameters.append(("ShardIteratorType", .string(initialPosition.rawValue)))
        }
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
}
