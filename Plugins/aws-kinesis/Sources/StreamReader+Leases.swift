import AWSKit
import DriverJSON
import DriverKit

/// The reader's side of the lease table: which shards it reads, renewing, checkpointing and
/// giving them up, and what it does when the table or the stream fails.
extension StreamReader {
    struct ShardListing {
        var id: String
        var parents: [String]
    }

    /// Every shard of the stream (all pages of ListShards).
    func listShards() async throws(AWSError) -> [ShardListing] {
        var shards: [ShardListing] = []
        var token: String?
        repeat {
            let parameters: [(String, JSONValue)] =
                token.map { [("NextToken", .string($0))] } ?? [("StreamName", .string(stream))]
            let reply = try await kinesis.json(
                "Kinesis_20131202.ListShards", jsonObject(parameters), version: .v11,
                timeoutMilliseconds: timings.callTimeoutMilliseconds,
                retry: false)
            if case .array(let items)? = reply["Shards"] {
                for item in items {
                    guard let id = item["ShardId"]?.string else { continue }
                    let parents = [item["ParentShardId"]?.string, item["AdjacentParentShardId"]?.string]
                    shards.append(ShardListing(id: id, parents: parents.compactMap { $0 }))
                }
            }
            token = reply["NextToken"]?.string
        } while token != nil
        return shards
    }

    /// Makes sure the table exists (again, after it was found missing) and lists the shards;
    /// nil after an error, which is logged.
    func syncTableAndShards() async -> [ShardListing]? {
        if !state.withLock({ $0.tableReady }) {
            do {
                try await leases.ensure()
                state.withLock { $0.tableReady = true }
            } catch {
                report(error.message)
                return nil
            }
        }
        do {
            return try await listShards()
        } catch {
            report(error, "stream \"\(stream)\"")
            return nil
        }
    }

    /// Takes every free or lapsed lease among `shards`, a child only once its parents are read
    /// to their end (KCL's order, so a key's records stay in order across a reshard). No
    /// balancing: a second worker gets shards the first one does not hold.
    func take(_ shards: [ShardListing]) async {
        let listed = Set(shards.map(\.id))
        for shard in shards {
            let (held, finished) = state.withLock { ($0.shards[shard.id] != nil, $0.finished) }
            guard !held, !finished.contains(shard.id), !state.withLock({ $0.stopping }) else { continue }
            guard shard.parents.allSatisfy({ !listed.contains($0) || finished.contains($0) }) else { continue }
            do {
                let current = try await leases.read(shard.id)
                if current?.checkpoint == LeaseTable.shardEnd {
                    state.withLock { _ = $0.finished.insert(shard.id) }
                    continue
                }
                if let owner = current?.owner, owner != leases.worker,
                    let timeout = current?.timeout.flatMap(LeaseTime.parse), timeout > LeaseTime.now()
                {
                    continue
                }
                guard let lease = try await leases.take(shard.id, current: current, parent: shard.parents.first)
                else { continue }
                state.withLock { state in
                    state.shards[shard.id] = Shard(lease: lease, settled: lease.checkpoint, written: lease.checkpoint)
                    state.counts.leasesTaken += 1
                }
                log(
                    .info,
                    "\(component): reading shard \(shard.id) of stream \"\(stream)\" from \(lease.checkpoint.map { "after \($0)" } ?? initialPosition.rawValue)"
                )
            } catch {
                tableFailed(error)
                return
            }
        }
    }

    /// Renews every held lease, recording each shard's checkpoint; drops the shards whose
    /// lease another worker took. A renewal that failed with an answer (throttling, say) does
    /// not keep the others from theirs; one that got no answer ends the round, as the others
    /// would wait as long (the next round comes after `Timings.renew`).
    func renewAll() async {
        for id in heldShards where !state.withLock({ $0.stopping }) {
            guard let shard = state.withLock({ $0.shards[id] }) else { continue }
            do {
                let renewed = try await leases.renew(shard.lease, checkpoint: shard.checkpoint)
                state.withLock { state in
                    guard let renewed else {
                        drop(&state, id)
                        state.counts.leasesLost += 1
                        return
                    }
                    state.shards[id]?.lease = renewed
                    if renewed.checkpoint != shard.written { state.counts.checkpoints += 1 }
                    state.shards[id]?.written = renewed.checkpoint
                }
            } catch {
                tableFailed(error)
                if error.transport != nil { return }
            }
        }
    }

    /// Writes `checkpoint` for shard `id`; false when the lease is lost or the table failed.
    func write(_ id: String, checkpoint: String) async -> Bool {
        guard let shard = state.withLock({ $0.shards[id] }) else { return false }
        do {
            guard let renewed = try await leases.renew(shard.lease, checkpoint: checkpoint) else {
                state.withLock { state in
                    drop(&state, id)
                    state.counts.leasesLost += 1
                }
                return false
            }
            state.withLock { state in
                state.shards[id]?.lease = renewed
                state.shards[id]?.written = checkpoint
                state.counts.checkpoints += 1
            }
            return true
        } catch {
            tableFailed(error)
            return false
        }
    }

    /// Shard `id` is read to its end and answered: SHARD_END, and its children may be read.
    func finish(_ id: String) async {
        guard let shard = state.withLock({ $0.shards[id] }) else { return }
        do {
            try await leases.release(shard.lease, checkpoint: LeaseTable.shardEnd)
            state.withLock { state in
                drop(&state, id)
                state.finished.insert(id)
            }
            log(.info, "\(component): shard \(id) of stream \"\(stream)\" is closed and read to its end")
        } catch {
            tableFailed(error)
        }
    }

    /// At stop: every held shard's checkpoint written and its lease given up, all at once, so
    /// a stop against a hung DynamoDB takes one call's timeout, not one per shard. A release
    /// that fails is logged; that lease lapses after `Timings.lease`, with the checkpoint of
    /// its last renewal.
    func releaseAll() async {
        let held = state.withLock { state in
            defer { for id in Array(state.shards.keys) { drop(&state, id) } }
            return state.shards.map { ($0.key, $0.value.lease, $0.value.checkpoint) }
        }
        await withTaskGroup(of: Void.self) { group in
            for (id, lease, checkpoint) in held {
                group.addTask {
                    do throws(AWSError) {
                        try await self.leases.release(lease, checkpoint: checkpoint)
                    } catch {
                        self.report(error, "lease of shard \(id) in table \"\(self.leases.table)\"")
                    }
                }
            }
        }
    }

    /// Forgets shard `id`: answers to its records in the app's hands are ignored (the records
    /// come again from its checkpoint to whoever reads it next).
    func drop(_ state: inout State, _ id: String) {
        state.shards[id] = nil
        state.deliveries = state.deliveries.filter { $0.value != id }
    }

    /// A lease table call failed: logged; when the table is gone (a restarted DynamoDB), every
    /// shard is dropped and taken again from the new table.
    func tableFailed(_ error: AWSError) {
        report(error, "lease table \"\(leases.table)\"")
        guard error.code.hasSuffix("ResourceNotFoundException") else { return }
        state.withLock { state in
            state.tableReady = false
            for id in Array(state.shards.keys) { drop(&state, id) }
        }
    }

    /// Logs `error` (about `action`) once until a different one comes.
    func report(_ error: AWSError, _ action: String) {
        report(error.driverError(component, about: action).message)
    }

    /// Logs `message` at WARN once until a different one comes.
    func report(_ message: String) {
        let repeated = state.withLock { state -> Bool in
            defer { state.lastError = message }
            return state.lastError == message
        }
        if !repeated { log(.warn, message) }
    }

    func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(seconds, 0)) * 1_000_000_000 + UInt64(max(attoseconds, 0) / 1_000_000_000)
    }
}
