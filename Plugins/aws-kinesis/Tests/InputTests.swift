import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import KinesisDriver

/// Input in `shared` mode against moto's Kinesis and DynamoDB: every shard read, records
/// counted through failures and restarts, the lease table as KCL keeps it.
@Suite struct InputTests {
    /// A started input instance of consumer `consumer` delivering to `app`.
    private func input(
        _ moto: ServerProcess, stream: String, consumer: String, app: App, _ extra: [String: String] = [:]
    ) async throws -> KinesisDriver {
        let driver = try makeDriver(
            moto, stream: stream, .input,
            ["consumerName": consumer, "initialPosition": "trimHorizon"].merging(extra) { $1 })
        app.bind(driver)
        try await driver.startAsTheHostDoes(emit: app.emit)
        return driver
    }

    private func records(_ ids: Range<Int>) -> [(String, String)] {
        ids.map { (#"{"id":\#($0)}"#, "key-\($0)") }
    }

    /// The ids in `bodies` (`{"id":N}`).
    private func ids(_ bodies: [String]) -> [Int] {
        bodies.compactMap { Int($0.dropFirst(6).dropLast()) }
    }

    /// Sequence numbers compare as numbers (moto's are small, AWS's have 56 digits).
    private func precedes(_ a: String, _ b: String) -> Bool {
        a.count != b.count ? a.count < b.count : a < b
    }

    @Test(.timeLimit(.minutes(3)))
    func everyRecordOfEveryShardArrivesAcrossFailuresAndARestartAndNoneIsCheckpointedUnanswered() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let stream = unique("all")
        let consumer = unique("app")
        try await Boto.createStream(moto, stream, shards: 3)
        try await Boto.put(moto, stream, records(0..<90))
        let written = try await Boto.read(moto, stream)
        #expect(Set(written.map { $0["shard"] ?? "" }).count == 3, "the records spread over the three shards")

        // The first app fails the first delivery of every tenth record, and stops answering
        // once it has answered 45 with success (as an app that hangs).
        let first = App(failFirst: { ids([$0]).first.map { $0 % 10 == 0 } ?? false }, answerAtMost: 45)
        let reader1 = try await input(moto, stream: stream, consumer: consumer, app: first)
        #expect(reader1.streamReader?.heldShards.count == 3)
        try await eventually("45 records answered", timeout: .seconds(60)) { first.succeeded.count >= 45 }
        #expect(reader1.streamReader?.counts.failed ?? 0 > 0, "some deliveries failed and came again")
        await reader1.stop()

        // Each shard's checkpoint passes only records the first app answered with success.
        let leases = try await Boto.leases(moto, consumer)
        #expect(leases.count == 3)
        let succeeded = Set(first.succeeded)
        for (shard, lease) in leases {
            #expect(lease["AssignedTo"] == nil, "the stop released shard \(shard)'s lease")
            guard let checkpoint = lease["Checkpoint"] else { continue }
            let covered = written.filter { $0["shard"] == shard && !precedes(checkpoint, $0["sequence"] ?? "") }
            for record in covered {
                #expect(
                    succeeded.contains(record["data"] ?? ""), "checkpoint \(checkpoint) of \(shard) passes \(record)")
            }
        }

        // A new instance (a restarted bindery) resumes from the checkpoints.
        let second = App()
        let reader2 = try await input(moto, stream: stream, consumer: consumer, app: second)
        try await eventually("every record answered once", timeout: .seconds(60)) {
            Set(ids(first.succeeded + second.succeeded)) == Set(0..<90)
        }
        await reader2.stop()
        let all = ids(first.succeeded + second.succeeded)
        #expect(Set(all) == Set(0..<90), "none lost")
        // A clean stop checkpoints every record answered with success (a shard's records go
        // out one at a time, in order): none comes twice.
        #expect(all.count == 90, "\(all.count - 90) records answered with success were delivered again")
    }

    @Test(.timeLimit(.minutes(2))) func theDefaultLatestPositionReadsOnlyRecordsPutAfterStart() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let stream = unique("latest")
        try await Boto.createStream(moto, stream, shards: 1)
        try await Boto.put(moto, stream, records(0..<5))
        let app = App()
        let reader = try await input(moto, stream: stream, consumer: unique("app"), app: app, ["initialPosition": ""])
        try await Boto.put(moto, stream, records(5..<10))
        try await eventually("the five later records", timeout: .seconds(30)) { app.succeeded.count >= 5 }
        await reader.stop()
        // One shard: had the older records been read, they would have come first.
        #expect(ids(app.bodies) == Array(5..<10))
        let event = try #require(app.events.first)
        #expect(event.metadata["partitionKey"] == "key-5")
        #expect(event.metadata["shardId"] == "shardId-000000000000")
        #expect(event.metadata["sequenceNumber"] != nil)
    }

    @Test(.timeLimit(.minutes(2))) func aSecondReaderWaitsForTheLeasesAndTakesThemWhenTheFirstStops() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let stream = unique("leases")
        let consumer = unique("app")
        try await Boto.createStream(moto, stream, shards: 2)
        let first = App()
        let second = App()
        let reader1 = try await input(moto, stream: stream, consumer: consumer, app: first)
        let reader2 = try await input(moto, stream: stream, consumer: consumer, app: second)
        #expect(reader1.streamReader?.heldShards.count == 2)
        #expect(reader2.streamReader?.heldShards.isEmpty == true, "both leases are held by the first reader")
        let running = try await Boto.leases(moto, consumer)
        #expect(running.values.allSatisfy { $0["AssignedTo"] == reader1.workerID }, "\(running)")
        #expect(running.values.allSatisfy { LeaseTime.parse($0["LeaseTimeout"] ?? "") ?? 0 > LeaseTime.now() })
        try await Boto.put(moto, stream, records(0..<20))
        try await eventually("the first reader's 20 records", timeout: .seconds(30)) { first.succeeded.count >= 20 }
        #expect(second.events.isEmpty)
        await reader1.stop()
        try await eventually("the second reader to take both shards", timeout: .seconds(30)) {
            reader2.streamReader?.heldShards.count == 2
        }
        try await Boto.put(moto, stream, records(20..<40))
        try await eventually("the second reader's 20 records", timeout: .seconds(30)) { second.succeeded.count >= 20 }
        await reader2.stop()
        #expect(Set(ids(second.bodies)) == Set(20..<40), "the second reader resumed after the first one's checkpoints")
    }

    @Test(.timeLimit(.minutes(2))) func aLapsedLeaseOfAnotherKCLWorkerIsTakenOverAfterItsCheckpoint() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let stream = unique("takeover")
        let consumer = unique("app")
        try await Boto.createStream(moto, stream, shards: 1)
        try await Boto.put(moto, stream, records(0..<10))
        let written = try await Boto.read(moto, stream)
        let shard = try #require(written.first?["shard"])
        let fifth = try #require(written.first { $0["data"] == #"{"id":4}"# }?["sequence"])
        // A Dapr (KCL) worker that died: its lease lapsed long ago, its checkpoint is record 4.
        try await Boto.run(moto, "put-lease", [consumer, shard, fifth, "dapr-worker", "2020-01-01T00:00:00Z"])
        let app = App()
        let reader = try await input(moto, stream: stream, consumer: consumer, app: app)
        try await eventually("records 5 to 9", timeout: .seconds(30)) { app.succeeded.count >= 5 }
        await reader.stop()
        #expect(ids(app.bodies) == Array(5..<10), "reading resumed after the other worker's checkpoint")
        let lease = try #require(try await Boto.leases(moto, consumer)[shard])
        #expect(lease["Checkpoint"] == written.first { $0["data"] == #"{"id":9}"# }?["sequence"])

        // A lease another worker holds and renews is left alone.
        let held = unique("app")
        try await Boto.run(
            moto, "put-lease", [held, shard, fifth, "busy-worker", LeaseTime.format(LeaseTime.now() + 600_000_000_000)])
        let idle = App()
        let waiting = try await input(moto, stream: stream, consumer: held, app: idle)
        #expect(waiting.streamReader?.heldShards.isEmpty == true)
        await waiting.stop()
        #expect(try await Boto.leases(moto, held)[shard]?["AssignedTo"] == "busy-worker")
    }

    @Test(.timeLimit(.minutes(2))) func aBusyHostGetsTheRecordAgainLaterAndNothingIsSkipped() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let stream = unique("busy")
        try await Boto.createStream(moto, stream, shards: 2)
        try await Boto.put(moto, stream, records(0..<20))
        let app = App(busyFirst: 5)
        let reader = try await input(moto, stream: stream, consumer: unique("app"), app: app)
        try await eventually("20 records", timeout: .seconds(30)) { app.succeeded.count >= 20 }
        await reader.stop()
        #expect(app.busyLeft == 0)
        #expect(ids(app.bodies).sorted() == Array(0..<20), "each record once, none skipped")
    }

    @Test(.timeLimit(.minutes(2))) func aMissingStreamFailsTheInputStartNamingIt() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let driver = try makeDriver(moto, stream: "no-such-stream", .input, ["consumerName": unique("app")])
        let error = await #expect(throws: DriverError.self) { try await driver.startAsTheHostDoes { _, _ in .stopped } }
        #expect(error?.message.contains("no-such-stream") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("ResourceNotFoundException") == true, "\(error?.message ?? "")")
        await driver.stop()
    }

    @Test(.timeLimit(.minutes(2))) func anInputWhoseStartFailedCanBeStartedAgain() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let stream = unique("later")
        let app = App()
        let driver = try makeDriver(
            moto, stream: stream, .input, ["consumerName": unique("app"), "initialPosition": "trimHorizon"])
        app.bind(driver)
        await #expect(throws: DriverError.self) { try await driver.startAsTheHostDoes(emit: app.emit) }
        try await Boto.createStream(moto, stream, shards: 1)
        try await Boto.put(moto, stream, records(0..<1))
        try await driver.startInput(emit: app.emit)
        try await eventually("the record", timeout: .seconds(30)) { app.succeeded.count >= 1 }
        await driver.stop()
        #expect(ids(app.bodies) == [0])
    }
}
