import DriverTesting
import Foundation
import HostTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// bindings.aws.kinesis through `bindery run` (the built .so, a Dapr component file with
/// `endpoint` at moto) serving the Flask app: records put through the HTTP API come back to the
/// app through the input, failed deliveries come again, and a restarted bindery resumes from its
/// checkpoints (issue 12).
@Suite(.serialized) struct AWSKinesisRunTests {
    static let flaskApp = "\(Paths.fixtures)/apps/flask_app.py"

    /// The Flask app's route prefix `flaky` fails the first delivery of ids that are multiples of 100.
    static let name = "flakyclicks"

    private func components(
        _ moto: ServerProcess, stream: String, consumer: String, name: String = Self.name,
        in folder: String? = nil, extra: [(String, String)] = []
    ) throws -> String {
        let components = try folder ?? temporaryDirectory("kinesis-components")
        try writeComponent(
            components, name: name, type: "bindings.aws.kinesis",
            metadata: [
                ("streamName", stream), ("consumerName", consumer), ("mode", "shared"),
                ("initialPosition", "trimHorizon"), ("region", "us-east-1"), ("accessKey", "testing"),
                ("secretKey", "testing"), ("endpoint", "http://\(moto.address)"),
            ] + extra)
        return components
    }

    private func start(_ components: String) async throws -> (BinderyProcess, Int) {
        let appPort = try freePort()
        let bindery = try await BinderyProcess([
            "--app-port", String(appPort), "--resources-path", components, "--", "python3", Self.flaskApp,
        ])
        guard try await bindery.waitFor(status: 204, path: "/v1.0/healthz") else {
            bindery.stop()
            throw TestFailure("bindery never became healthy; its log:\n\(bindery.log)")
        }
        return (bindery, appPort)
    }

    /// The ids (`{"id":N}`) the app was sent on route `/name`, in order.
    private func ids(_ appPort: Int, name: String = Self.name) async throws -> [Int] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(appPort)/seen")!)
        let all = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return all.compactMap { event in
            guard event["path"] as? String == "/\(name)", event["method"] as? String == "POST",
                let body = event["body"] as? String, body.hasPrefix("{\"id\":")
            else { return nil }
            return Int(body.dropFirst(6).dropLast())
        }
    }

    @Test(.timeLimit(.minutes(4))) func recordsPutThroughTheAPIReachTheAppAndARestartResumesFromTheCheckpoints()
        async throws
    {
        let moto = try await ServerProcess.moto()
        try await DynamoKinesisBoto.run(moto, "create-stream", ["clicks", "3"])
        let components = try components(moto, stream: "clicks", consumer: "click-counter")
        let (bindery, appPort) = try await start(components)
        for id in 0..<200 {
            let response = try await bindery.invoke(Self.name, "create", data: "{\"id\":\(id)}")
            #expect(response.status == 204, "\(response.text)")
        }
        var seen: [Int] = []
        try await eventually("200 records at the app", timeout: .seconds(90)) {
            seen = try await ids(appPort)
            return Set(seen) == Set(0..<200)
        }
        let stored = try await DynamoKinesisBoto.run(moto, "read-stream", ["clicks"]) as? [[String: String]] ?? []
        #expect(Set(stored.compactMap { $0["shard"] }).count == 3, "the records spread over the three shards")
        // The app failed the first delivery of 0 and 100: each came once more, nothing else did.
        #expect(seen.count == 202, "deliveries: \(seen.count)")
        #expect(seen.filter { $0 == 0 || $0 == 100 }.count == 4)
        bindery.stop()

        // A new bindery (and app) for the same consumer resumes after the checkpoints the first
        // one wrote when it stopped: only the new records arrive.
        let (again, appPort2) = try await start(components)
        defer { again.stop() }
        for id in 200..<250 {
            #expect(try await again.invoke(Self.name, "create", data: "{\"id\":\(id)}").status == 204)
        }
        var after: [Int] = []
        try await eventually("the 50 new records at the new app", timeout: .seconds(90)) {
            after = try await ids(appPort2)
            return Set(after).isSuperset(of: 200..<250)
        }
        #expect(
            after.allSatisfy { $0 >= 200 },
            "records answered before the restart came again: \(after.filter { $0 < 200 })")
        // 200 is a multiple of 100: its first delivery fails and it comes once more.
        #expect(after.count == 51, "deliveries after the restart: \(after.count)")
        #expect(after.filter { $0 == 200 }.count == 2)
    }

    @Test(.timeLimit(.minutes(4))) func aHotSwapOfTheComponentNeitherLosesNorRepeatsARecord() async throws {
        let moto = try await ServerProcess.moto()
        try await DynamoKinesisBoto.run(moto, "create-stream", ["swaps", "2"])
        let folder = try components(moto, stream: "swaps", consumer: "swap-counter", name: "swapped")
        let (bindery, appPort) = try await start(folder)
        defer { bindery.stop() }
        for id in 0..<100 {
            #expect(try await bindery.invoke("swapped", "create", data: "{\"id\":\(id)}").status == 204)
        }
        // A changed component file: the old generation stops (checkpoints, releases its leases),
        // the new one takes them, while records are still being delivered.
        _ = try components(
            moto, stream: "swaps", consumer: "swap-counter", name: "swapped", in: folder,
            extra: [("partitionKey", "after-the-swap")])
        try await eventually("generation 2", timeout: .seconds(30)) {
            let metadata = try await bindery.request("GET", "/v1.0/metadata")
            let component = (metadata.json?["components"] as? [[String: Any]])?.first {
                $0["name"] as? String == "swapped"
            }
            return component?["generation"] as? Int == 2
        }
        for id in 100..<200 {
            #expect(try await bindery.invoke("swapped", "create", data: "{\"id\":\(id)}").status == 204)
        }
        var seen: [Int] = []
        try await eventually("200 records at the app", timeout: .seconds(90)) {
            seen = try await ids(appPort, name: "swapped")
            return Set(seen) == Set(0..<200)
        }
        #expect(seen.count == 200, "records delivered twice across the swap: \(seen.count - 200)")
        let stored = try await DynamoKinesisBoto.run(moto, "read-stream", ["swaps"]) as? [[String: String]] ?? []
        #expect(stored.filter { $0["key"] == "after-the-swap" }.count == 100, "the new generation's partition key")
    }

    @Test func validateCatchesAMissingStreamName() throws {
        let components = try temporaryDirectory("kinesis-validate")
        try writeComponent(
            components, name: "clicks", type: "bindings.aws.kinesis", metadata: [("consumerName", "app")])
        let result = try run(try Paths.bindery, ["validate", "--resources-path", components])
        #expect(result.status == 1)
        #expect(result.stdout.contains("streamName"), "\(result.stdout)")
        #expect(result.stdout.contains("clicks"), "\(result.stdout)")
    }
}
