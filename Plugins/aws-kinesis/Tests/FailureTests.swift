import DriverKit
import DriverTesting
import Testing

@testable import KinesisDriver

/// What goes wrong between the driver and AWS: credentials moto refuses, moto stopped and
/// started again under a running input, a read that times out.
@Suite struct FailureTests {
    @Test(.timeLimit(.minutes(2))) func aWrongSecretIsRefusedWithSignatureDoesNotMatch() async throws {
        let moto = try await ServerProcess.moto(checkingSignatures: true)
        let signing = try moto.motoCredentials()
        let stream = unique("signed")
        try await Boto.run(moto, "create-stream", [stream, "1"], key: signing.accessKey, secret: signing.secretKey)
        let right = ["accessKey": signing.accessKey, "secretKey": signing.secretKey]
        try await withOutput(moto, stream: stream, right) { try await $0.put("signed", partitionKey: "k") }
        // Input signs its Kinesis and DynamoDB calls too.
        let app = App()
        let reader = try makeDriver(
            moto, stream: stream, .input,
            right.merging(["consumerName": "signed-app", "initialPosition": "trimHorizon"]) { $1 })
        app.bind(reader)
        try await reader.startAsTheHostDoes(emit: app.emit)
        try await eventually("the signed record", timeout: .seconds(30)) { app.succeeded == ["signed"] }
        await reader.stop()

        let wrong = ["accessKey": signing.accessKey, "secretKey": "wrong"]
        try await withOutput(moto, stream: stream, wrong) { driver in
            let error = try await #require(throws: DriverError.self) { try await driver.put("x") }
            #expect(error.message.contains("SignatureDoesNotMatch"), "\(error.message)")
            #expect(error.message.contains("clicks"), "\(error.message)")
        }
        let refused = try makeDriver(moto, stream: stream, .input, wrong.merging(["consumerName": "signed-app"]) { $1 })
        let error = await #expect(throws: DriverError.self) {
            try await refused.startAsTheHostDoes { _, _ in .stopped }
        }
        #expect(error?.message.contains("SignatureDoesNotMatch") == true, "\(error?.message ?? "")")
        await refused.stop()
    }

    @Test(.timeLimit(.minutes(3))) func inputAndOutputCarryOnAfterMotoIsStoppedAndStartedAgain() async throws {
        let moto = try await ServerProcess.moto()
        let stream = unique("restart")
        try await Boto.createStream(moto, stream, shards: 2)
        let app = App()
        let reader = try makeDriver(
            moto, stream: stream, .input, ["consumerName": unique("app"), "initialPosition": "trimHorizon"])
        app.bind(reader)
        try await reader.startAsTheHostDoes(emit: app.emit)
        try await withOutput(moto, stream: stream) { output in
            for n in 0..<10 { try await output.put(#"{"id":\#(n)}"#) }
            try await eventually("the first ten records", timeout: .seconds(30)) { app.succeeded.count >= 10 }
            moto.stop()
            let error = try await #require(throws: DriverError.self) { try await output.put("down") }
            #expect(error.message.contains("clicks"), "\(error.message)")
            try await moto.start()
            // moto keeps nothing across a restart: the stream is made again; the reader makes
            // its lease table again and reads the new stream from its start.
            try await Boto.createStream(moto, stream, shards: 2)
            for n in 10..<20 { try await output.put(#"{"id":\#(n)}"#) }
        }
        try await eventually("the ten records put after the restart", timeout: .seconds(60)) {
            Set(app.succeeded).isSuperset(of: (10..<20).map { #"{"id":\#($0)}"# })
        }
        await reader.stop()
        #expect(!app.succeeded.contains("down"))
    }

    /// A reader at `latest` has no checkpoint to come back to until a shard's first record is
    /// done: a GetRecords that times out must not move it to a new LATEST past the records put
    /// meanwhile. The reader goes through a proxy that is frozen while boto3 puts to moto.
    @Test(.timeLimit(.minutes(3))) func recordsPutWhileAReadTimesOutBeforeTheFirstCheckpointAreNotSkipped()
        async throws
    {
        let moto = try await ServerProcess.sharedMoto()
        let proxy = try await ServerProcess.proxy(to: moto)
        let stream = unique("stall")
        try await Boto.createStream(moto, stream, shards: 1)
        let log = LogRecorder()
        var timings = fastTimings
        timings.callTimeoutMilliseconds = 5_000
        let app = App()
        let reader = try makeDriver(
            proxy, stream: stream, .input, ["consumerName": unique("app")], log: log.log, timings: timings)
        app.bind(reader)
        // At LATEST (the default): the shard's iterator is taken before start returns.
        try await reader.startAsTheHostDoes(emit: app.emit)
        let records = (0..<10).map { (#"{"id":\#($0)}"#, "k") }
        proxy.freeze(true)
        try await Boto.put(moto, stream, Array(records[0..<5]))
        try await eventually("a GetRecords that timed out", timeout: .seconds(60)) { log.contains("GetRecords") }
        proxy.freeze(false)
        try await Boto.put(moto, stream, Array(records[5...]))
        try await eventually("the last record", timeout: .seconds(60)) { app.succeeded.contains(records[9].0) }
        await reader.stop()
        #expect(app.bodies == records.map(\.0), "every record once, in order, none skipped")
    }
}
