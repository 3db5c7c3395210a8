import AWSKit
import DriverJSON
import DriverKit

/// KCL's lease and checkpoint table in DynamoDB, read and written as vmware-go-kcl (Dapr's KCL)
/// does, so bindery and Dapr workers of one application can take over each other's shards:
/// one item per shard, key `ShardID`, with `Checkpoint` (the last processed sequence number, or
/// `SHARD_END`), `AssignedTo` (the worker holding the lease), `LeaseTimeout` (RFC 3339, when the
/// lease lapses unless renewed) and `ParentShardId`.
///
/// Every write is conditional, so a worker never overwrites a lease another worker took:
/// taking one requires the item as it was read (no owner, or the lapsed owner and timeout),
/// renewing and checkpointing require `AssignedTo` to still be this worker.
struct LeaseTable: Sendable {
    /// One shard's item.
    struct Lease: Sendable, Equatable {
        var shardID: String
        var checkpoint: String?
        var owner: String?
        var timeout: String?
        var parent: String?
    }

    static let shardEnd = "SHARD_END"

    let client: AWSClient
    let table: String
    /// This worker's `AssignedTo`.
    let worker: String
    /// How long a lease lasts unless renewed (KCL's failover time: 10 s).
    let leaseNanoseconds: Int64
    /// How long one call may take.
    let timeoutMilliseconds: Int64

    /// Creates the table when it does not exist (as KCL: `ShardID` hash key, 10 read and write
    /// units) and waits until it is active. Throws the DynamoDB error, or a timeout naming the
    /// table when it is not active after `activeWait`.
    func ensure(activeWait: Duration = .seconds(60)) async throws(DriverError) {
        do {
            if try await status() == "ACTIVE" { return }
        } catch  where error.code.hasSuffix("ResourceNotFoundException") {
            try await create()
        } catch {
            throw failure(error)
        }
        // CreateTable returns at once with the table CREATING; DynamoDB takes seconds.
        let deadline = ContinuousClock.now + activeWait
        var last: String?
        repeat {
            try? await Task.sleep(for: .milliseconds(500))
            do {
                last = try await status()
            } catch {
                throw failure(error)
            }
            if last == "ACTIVE" { return }
        } while ContinuousClock.now < deadline
        throw DriverError(
            .timeout,
            "\(client.component): lease table \"\(table)\" is not ACTIVE after \(activeWait) (DescribeTable says \(last.map { "\"\($0)\"" } ?? "no status")): DynamoDB has not finished creating it",
            retryable: true)
    }

    /// CreateTable as KCL's; a table another worker created a moment ago is no error.
    private func create() async throws(DriverError) {
        do {
            _ = try await call(
                "CreateTable",
                [
                    (
                        "AttributeDefinitions",
                        .array([.object(["AttributeName": .string("ShardID"), "AttributeType": .string("S")])])
                    ),
                    (
                        "KeySchema",
                        .array([.object(["AttributeName": .string("ShardID"), "KeyType": .string("HASH")])])
                    ),
                    (
                        "ProvisionedThroughput",
                        jsonObject([("ReadCapacityUnits", .number("10")), ("WriteCapacityUnits", .number("10"))])
                    ),
                ], retry: true)
        } catch  where error.code.hasSuffix("ResourceInUseException") {
            // Another worker created it.
        } catch {
            throw failure(error)
        }
    }

    /// `error` as the driver reports it, naming the table.
    private func failure(_ error: AWSError) -> DriverError {
        error.driverError(client.component, about: "lease table \"\(table)\"")
    }

    private func status() async throws(AWSError) -> String? {
        let reply = try await call("DescribeTable", [], retry: true)
        return reply["Table"]?["TableStatus"]?.string
    }

    /// The item of `shardID`, read consistently; nil when there is none.
    func read(_ shardID: String) async throws(AWSError) -> Lease? {
        let reply = try await call(
            "GetItem", [("Key", jsonObject([("ShardID", s(shardID))])), ("ConsistentRead", .bool(true))])
        guard let item = reply["Item"], item["ShardID"] != nil else { return nil }
        func text(_ name: String) -> String? { item[name]?["S"]?.string }
        return Lease(
            shardID: shardID, checkpoint: text("Checkpoint"), owner: text("AssignedTo"), timeout: text("LeaseTimeout"),
            parent: text("ParentShardId"))
    }

    /// Takes the lease of `current` (as just read, or a fresh item when nil) for this worker;
    /// nil when another worker changed it in between.
    func take(_ shardID: String, current: Lease?, parent: String?) async throws(AWSError) -> Lease? {
        var lease = current ?? Lease(shardID: shardID)
        lease.owner = worker
        lease.timeout = LeaseTime.format(LeaseTime.now() + leaseNanoseconds)
        if lease.parent == nil { lease.parent = parent }
        let condition: (String, [(String, JSONValue)])
        if let owner = current?.owner, let timeout = current?.timeout {
            condition = (
                "ShardID = :id AND AssignedTo = :assigned_to AND LeaseTimeout = :lease_timeout",
                [(":id", s(shardID)), (":assigned_to", s(owner)), (":lease_timeout", s(timeout))]
            )
        } else {
            condition = ("attribute_not_exists(AssignedTo)", [])
        }
        return try await put(lease, condition: condition) ? lease : nil
    }

    /// Renews `lease` and records `checkpoint` in it; nil when the lease is no longer this
    /// worker's (another one took it after it lapsed).
    func renew(_ lease: Lease, checkpoint: String?) async throws(AWSError) -> Lease? {
        var renewed = lease
        renewed.checkpoint = checkpoint ?? lease.checkpoint
        renewed.owner = worker
        renewed.timeout = LeaseTime.format(LeaseTime.now() + leaseNanoseconds)
        return try await put(renewed, condition: ("AssignedTo = :assigned_to", [(":assigned_to", s(worker))]))
            ? renewed : nil
    }

    /// Gives `lease` up with `checkpoint` recorded: the item loses its owner and timeout, so
    /// any worker may take it at once (KCL's RemoveLeaseOwner). False when it was not ours.
    @discardableResult
    func release(_ lease: Lease, checkpoint: String?) async throws(AWSError) -> Bool {
        var released = lease
        released.checkpoint = checkpoint ?? lease.checkpoint
        released.owner = nil
        released.timeout = nil
        return try await put(released, condition: ("AssignedTo = :assigned_to", [(":assigned_to", s(worker))]))
    }

    /// PutItem of `lease` under `condition`; false when the condition failed.
    private func put(_ lease: Lease, condition: (String, [(String, JSONValue)])) async throws(AWSError) -> Bool {
        var item: [(String, JSONValue)] = [("ShardID", s(lease.shardID))]
        for (name, value) in [
            ("Checkpoint", lease.checkpoint), ("AssignedTo", lease.owner), ("LeaseTimeout", lease.timeout),
            ("ParentShardId", lease.parent),
        ] {
            if let value { item.append((name, s(value))) }
        }
        var parameters: [(String, JSONValue)] = [
            ("Item", jsonObject(item)), ("ConditionExpression", .string(condition.0)),
        ]
        if !condition.1.isEmpty { parameters.append(("ExpressionAttributeValues", jsonObject(condition.1))) }
        do {
            _ = try await call("PutItem", parameters)
            return true
        } catch  where error.code.hasSuffix("ConditionalCheckFailedException") {
            return false
        }
    }

    /// One DynamoDB call on the table, tried once unless `retry`: the reader's loop repeats
    /// its reads and writes itself (renewals every `Timings.renew`, takes every `Timings.sync`),
    /// and a stop must not sit in the client's backoff. Only `ensure`, at start, is retried
    /// (within `timeoutMilliseconds`, which bounds all attempts).
    private func call(
        _ action: String, _ parameters: [(String, JSONValue)], retry: Bool = false
    ) async throws(AWSError) -> JSONValue {
        try await client.json(
            "DynamoDB_20120810.\(action)", jsonObject([("TableName", .string(table))] + parameters), version: .v10,
            timeoutMilliseconds: timeoutMilliseconds, retry: retry)
    }

    private func s(_ text: String) -> JSONValue { .object(["S": .string(text)]) }
}

/// A JSON object from name-value pairs, in order (pairs built in a loop, which
/// `JSONValue.object(_: KeyValuePairs)` cannot take).
func jsonObject(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(members.map { JSONValue.Member(key: $0.0, value: $0.1) })
}
