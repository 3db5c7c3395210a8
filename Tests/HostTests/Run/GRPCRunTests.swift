import DriverTesting
import Foundation
import HostTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Dapr's own Python SDK (`dapr` from PyPI) against `bindery run`, as users run it:
/// `invoke_binding` and `get_metadata` from an app, the API token, and an app on
/// `dapr.ext.grpc.App` receiving input events over `--app-protocol grpc` (issue 10).
@Suite(.serialized) struct GRPCRunTests {
    /// Runs the SDK app under `bindery run` until it exits; returns what it wrote.
    private func runSDKApp(_ bindery: BinderyProcess, out: String) async throws -> [String: Any] {
        try await eventually("the SDK app to write \(out); log:\n\(bindery.log)", timeout: .seconds(60)) {
            FileManager.default.fileExists(atPath: out)
        }
        let data = try #require(FileManager.default.contents(atPath: out))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
    @Test(.timeLimit(.minutes(2))) func theSDKsInvokeBindingPassesTheAppsBytesUnchanged() async throws {
        let target = try await GRPCRunSupport.startTarget()
        defer { target.stop() }
        let out = "\(try temporaryDirectory("sdk"))/out.json"
        let bindery = try await BinderyProcess(
            [
                "--app-id", "sdkapp", "--resources-path", try GRPCRunSupport.components(target: target), "--",
                "python3", "\(GRPCRunSupport.apps)/sdk_client.py", "target", out,
            ], waitReady: false)
        defer { bindery.stop() }
        let seen = try await runSDKApp(bindery, out: out)
        let payload = try #require(seen["payload"] as? String)
        for step in ["sync", "async"] {
            let answer = try #require(seen[step] as? [String: Any], "\(step): \(seen)\n\(bindery.log)")
            #expect(answer["code"] == nil, "\(step) failed: \(answer)")
            // The target answered {"received": N}; its body comes back as the response data.
            let data = String(decoding: hexBytes(answer["data"] as? String ?? ""), as: UTF8.self)
            #expect(data.hasPrefix("{\"received\": "), "\(step): \(answer)")
        }
        let bodies = try await GRPCRunSupport.received(target).compactMap { $0["body"] as? String }
        #expect(bodies == [payload, payload], "the target must receive the app's bytes as sent")
        #expect(hexBytes(payload).count == 52)
    }

    @Test(.timeLimit(.minutes(2))) func getMetadataListsTheComponents() async throws {
        let target = try await GRPCRunSupport.startTarget()
        defer { target.stop() }
        let out = "\(try temporaryDirectory("sdk"))/out.json"
        let bindery = try await BinderyProcess(
            [
                "--app-id", "metaapp", "--resources-path", try GRPCRunSupport.components(target: target), "--",
                "python3", "\(GRPCRunSupport.apps)/sdk_client.py", "target", out, "metadata",
            ], waitReady: false)
        defer { bindery.stop() }
        let seen = try await runSDKApp(bindery, out: out)
        let metadata = try #require(seen["metadata"] as? [String: Any], "\(seen)")
        #expect(metadata["id"] as? String == "metaapp")
        let components = try #require(metadata["components"] as? [[String: Any]], "\(metadata)")
        let target0 = try #require(components.first { $0["name"] as? String == "target" }, "\(components)")
        #expect(target0["type"] as? String == "bindings.http")
        #expect(target0["version"] as? String == "v1")
    }

    @Test(.timeLimit(.minutes(2))) func anAPITokenIsRequiredOnEveryCall() async throws {
        let target = try await GRPCRunSupport.startTarget()
        defer { target.stop() }
        let bindery = try await BinderyProcess(
            ["--resources-path", try GRPCRunSupport.components(target: target)],
            environment: ["DAPR_API_TOKEN": "s3cret"])
        defer { bindery.stop() }
        let directory = try temporaryDirectory("token")
        let ports = ["DAPR_HTTP_PORT": String(bindery.port), "DAPR_GRPC_PORT": String(bindery.grpcPort)]
        for (label, token) in [("without", ""), ("wrong", "other"), ("with", "s3cret")] {
            let out = "\(directory)/\(label).json"
            let result = try run(
                "/usr/bin/env", ["python3", "\(GRPCRunSupport.apps)/sdk_client.py", "target", out, "sync"],
                environment: ports.merging(["DAPR_API_TOKEN": token]) { $1 })
            #expect(result.status == 0, "\(result.stderr)")
            let seen = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
            let answer = try #require(seen["sync"] as? [String: Any])
            if label == "with" {
                #expect(answer["code"] == nil, "\(answer)")
            } else {
                #expect(answer["code"] as? String == "UNAUTHENTICATED", "\(label): \(answer)")
            }
        }
        #expect(try await GRPCRunSupport.received(target).count == 1)
    }

    /// `run` a Python snippet against the gRPC API with grpcio and the SDK's generated stubs.
    @Test(.timeLimit(.minutes(2))) func aGRPCAppReceivesInputEventsAndARaisingHandlerNacks() async throws {
        let directory = try temporaryDirectory("grpc-app")
        let out = "\(directory)/events.jsonl"
        for name in ["ticks", "failing"] {
            try writeComponent(directory, name: name, type: "bindings.cron", metadata: [("schedule", "@every 200ms")])
        }
        let appPort = try freePort()
        let bindery = try await BinderyProcess(
            [
                "--app-port", String(appPort), "--app-protocol", "grpc", "--resources-path", directory, "--",
                "python3", "\(GRPCRunSupport.apps)/grpc_app.py", out,
            ])
        defer { bindery.stop() }
        try await eventually("3 events in \(out); log:\n\(bindery.log)", timeout: .seconds(30)) {
            ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").count >= 3
        }
        var counts: [String: Int] = [:]
        try await eventually("2 failed deliveries of `failing`", timeout: .seconds(20)) {
            let metadata = try await bindery.request("GET", "/v1.0/metadata").json
            let components = metadata?["components"] as? [[String: Any]]
            let failing = components?.first { $0["name"] as? String == "failing" }
            counts = failing?["deliveries"] as? [String: Int] ?? [:]
            return (counts["failed"] ?? 0) >= 2
        }
        #expect(counts["delivered"] == 0, "\(counts)")
        #expect(bindery.log.contains("the handler refused this event"), "\(bindery.log)")
    }
}
