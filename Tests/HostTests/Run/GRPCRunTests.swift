import DriverTesting
import Foundation
import HostTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Dapr's gRPC API and gRPC apps end to end, with Dapr's own Python SDK (`dapr` from PyPI) as
/// users run it: `invoke_binding` and `get_metadata` from an app under `bindery run`, and an app
/// on `dapr.ext.grpc.App` receiving input events (issue 10).
@Suite(.serialized) struct GRPCRunTests {
    static let apps = "\(Paths.fixtures)/apps"

    /// The recording HTTP target that the `target` component (bindings.http) posts to.
    private func startTarget() async throws -> ServerProcess {
        let script = "\(Self.apps)/record_target.py"
        return try await ServerProcess.started {
            try ServerProcess(name: "record-target", program: "/usr/bin/env") { port, _ in
                ["python3", script, String(port)]
            }
        }
    }

    /// What the target received: one record per request (method, path, headers, body in hex).
    private func received(_ target: ServerProcess) async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://\(target.address)/_received")!)
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    private func components(target: ServerProcess) throws -> String {
        let directory = try temporaryDirectory("grpc-components")
        try writeComponent(
            directory, name: "target", type: "bindings.http", metadata: [("url", "http://\(target.address)")])
        return directory
    }

    /// Runs the SDK app under `bindery run` until it exits; returns what it wrote.
    private func runSDKApp(_ bindery: BinderyProcess, out: String) async throws -> [String: Any] {
        try await eventually("the SDK app to write \(out); log:\n\(bindery.log)", timeout: .seconds(60)) {
            FileManager.default.fileExists(atPath: out)
        }
        let data = try #require(FileManager.default.contents(atPath: out))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(.timeLimit(.minutes(2))) func theSDKsInvokeBindingPassesTheAppsBytesUnchanged() async throws {
        let target = try await startTarget()
        defer { target.stop() }
        let out = "\(try temporaryDirectory("sdk"))/out.json"
        let bindery = try await BinderyProcess(
            [
                "--app-id", "sdkapp", "--resources-path", try components(target: target), "--",
                "python3", "\(Self.apps)/sdk_client.py", "target", out,
            ])
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
        let bodies = try await received(target).compactMap { $0["body"] as? String }
        #expect(bodies == [payload, payload], "the target must receive the app's bytes as sent")
        #expect(hexBytes(payload).count == 52)
    }

    @Test(.timeLimit(.minutes(2))) func getMetadataListsTheComponents() async throws {
        let target = try await startTarget()
        defer { target.stop() }
        let out = "\(try temporaryDirectory("sdk"))/out.json"
        let bindery = try await BinderyProcess(
            [
                "--app-id", "metaapp", "--resources-path", try components(target: target), "--",
                "python3", "\(Self.apps)/sdk_client.py", "target", out, "metadata",
            ])
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
        let target = try await startTarget()
        defer { target.stop() }
        let bindery = try await BinderyProcess(
            ["--resources-path", try components(target: target)], environment: ["DAPR_API_TOKEN": "s3cret"])
        defer { bindery.stop() }
        let directory = try temporaryDirectory("token")
        let ports = ["DAPR_HTTP_PORT": String(bindery.port), "DAPR_GRPC_PORT": String(bindery.grpcPort)]
        for (label, token) in [("without", ""), ("wrong", "other"), ("with", "s3cret")] {
            let out = "\(directory)/\(label).json"
            let result = try run(
                "/usr/bin/env", ["python3", "\(Self.apps)/sdk_client.py", "target", out, "sync"],
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
        #expect(try await received(target).count == 1)
    }

    /// `run` a Python snippet against the gRPC API with grpcio and the SDK's generated stubs.
    private func python(_ code: String, _ bindery: BinderyProcess) throws -> String {
        let result = try run(
            "/usr/bin/env", ["python3", "-c", code], environment: ["GRPC_PORT": String(bindery.grpcPort)])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.timeLimit(.minutes(2))) func aDeadlineShorterThanTheDriverEndsTheCallAtThatTime() async throws {
        let target = try await startTarget()
        defer { target.stop() }
        let bindery = try await BinderyProcess(["--resources-path", try components(target: target)])
        defer { bindery.stop() }
        let code = """
            import os, time, grpc
            from dapr.proto.runtime.v1 import binding_pb2 as pb, state_pb2, dapr_pb2_grpc as rpc
            stub = rpc.DaprStub(grpc.insecure_channel(f"127.0.0.1:{os.environ['GRPC_PORT']}"))
            request = pb.InvokeBindingRequest(name="target", operation="post", data=b"x", metadata={"path": "/slow/3"})
            start = time.monotonic()
            try:
                stub.InvokeBinding(request, timeout=0.5)
                print("OK")
            except grpc.RpcError as error:
                print(error.code().name, round(time.monotonic() - start, 2))
            fast = stub.InvokeBinding(pb.InvokeBindingRequest(name="target", operation="post", data=b"y"), timeout=10)
            print(fast.data.decode())
            """
        let lines = try python(code, bindery).split(separator: "\n")
        #expect(lines.count == 2, "\(lines)")
        let first = lines.first?.split(separator: " ") ?? []
        #expect(first.first == "DEADLINE_EXCEEDED", "\(lines)")
        let elapsed = Double(first.last ?? "") ?? 0
        #expect(elapsed >= 0.45 && elapsed < 2.0, "answered after \(elapsed) s")
        #expect(lines.last?.hasPrefix("{\"received\": ") == true, "\(lines)")
        // The slow call's late completion is ignored: bindery keeps serving.
        try await Task.sleep(for: .seconds(3))
        #expect(try await bindery.request("GET", "/v1.0/healthz").status == 204)
    }

    @Test(.timeLimit(.minutes(2))) func daprdsErrorsComeBackWithItsCodesAndTexts() async throws {
        let target = try await startTarget()
        defer { target.stop() }
        let bindery = try await BinderyProcess(["--resources-path", try components(target: target)])
        defer { bindery.stop() }
        let code = """
            import os, grpc
            from dapr.proto.runtime.v1 import binding_pb2 as pb, state_pb2, dapr_pb2_grpc as rpc
            stub = rpc.DaprStub(grpc.insecure_channel(f"127.0.0.1:{os.environ['GRPC_PORT']}"))
            for name, op in [("nope", "post"), ("target", ""), ("target", "fly")]:
                try:
                    stub.InvokeBinding(pb.InvokeBindingRequest(name=name, operation=op))
                    print("OK")
                except grpc.RpcError as error:
                    print(error.code().name + "|" + error.details())
            try:
                stub.GetState(state_pb2.GetStateRequest(store_name="s", key="k"))
            except grpc.RpcError as error:
                print(error.code().name + "|" + error.details())
            """
        let lines = try python(code, bindery).split(separator: "\n").map(String.init)
        #expect(
            lines.prefix(2) == [
                "INTERNAL|error invoking output binding nope: couldn't find output binding nope",
                "INTERNAL|error invoking output binding target: operation field is missing from request",
            ], "\(lines)")
        let unsupported =
            "INTERNAL|error invoking output binding target: binding target does not support operation fly. supported operations:"
        #expect(lines.count == 4 && lines[2].hasPrefix(unsupported) && lines[2].contains("post"), "\(lines)")
        #expect(lines.last?.hasPrefix("UNIMPLEMENTED|") == true, "\(lines)")
        #expect(lines.last?.contains("GetState") == true, "\(lines)")
    }

    @Test(.timeLimit(.minutes(2))) func malformedMessagesFailTheirCallOnlyWhileOthersOnTheChannelSucceed()
        async throws
    {
        let target = try await startTarget()
        defer { target.stop() }
        let bindery = try await BinderyProcess(
            ["--resources-path", try components(target: target), "--max-body-size", "1Ki"])
        defer { bindery.stop() }
        // Raw request bytes through grpcio (no serializer), 8 valid calls in flight beside each.
        let code = """
            import os, grpc
            from concurrent.futures import ThreadPoolExecutor
            channel = grpc.insecure_channel(f"127.0.0.1:{os.environ['GRPC_PORT']}")
            call = channel.unary_unary("/dapr.proto.runtime.v1.Dapr/InvokeBinding")
            valid = bytes([0x0a, 6]) + b"target" + bytes([0x22, 4]) + b"post" + bytes([0x12, 2]) + b"{}"
            cases = {
                "truncated": bytes([0x0a, 0x20]) + b"tar",
                "wrong-wire-type": bytes([0x08, 0x01]),
                "bad-varint": bytes([0x20] + [0xff] * 11),
                "unknown-field": valid + bytes([0x98, 0x06, 0x01]),
                "too-large": valid + bytes([0x12, 0x80, 0x10]) + b"x" * 2048,
            }
            def run(name):
                try:
                    call(cases[name], timeout=10)
                    return name + "|OK"
                except grpc.RpcError as error:
                    return name + "|" + error.code().name + "|" + error.details()
            with ThreadPoolExecutor(16) as pool:
                good = [pool.submit(call, valid, timeout=10) for _ in range(8 * len(cases))]
                results = list(pool.map(run, cases))
                print(sum(1 for f in good if b'{"received": ' in f.result()))
            print("\\n".join(results))
            """
        let lines = try python(code, bindery).split(separator: "\n").map(String.init)
        #expect(lines.first == "40", "every valid call beside the malformed ones succeeds: \(lines)")
        let outcome = Dictionary(
            lines.dropFirst().map { line in
                let parts = line.split(separator: "|", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            }, uniquingKeysWith: { $1 })
        for name in ["truncated", "wrong-wire-type", "bad-varint"] {
            #expect(
                outcome[name]?.hasPrefix("INTERNAL|grpc: error unmarshalling request: ") == true,
                "\(name): \(outcome[name] ?? "none")")
        }
        #expect(outcome["unknown-field"] == "OK", "unknown fields are skipped: \(lines)")
        #expect(outcome["too-large"]?.hasPrefix("RESOURCE_EXHAUSTED|") == true, "\(lines)")
    }

    @Test(.timeLimit(.minutes(2))) func bothAPIsServeOnUnixSocketsNamedAsDaprdNamesThem() async throws {
        let target = try await startTarget()
        defer { target.stop() }
        let sockets = try temporaryDirectory("uds")
        let bindery = try await BinderyProcess(
            [
                "--app-id", "udsapp", "--unix-domain-socket", sockets, "--resources-path",
                try components(target: target),
            ],
            waitReady: false)
        defer { bindery.stop() }
        let http = "\(sockets)/dapr-udsapp-http.socket", grpc = "\(sockets)/dapr-udsapp-grpc.socket"
        try await eventually("both sockets; log:\n\(bindery.log)", timeout: .seconds(20)) {
            FileManager.default.fileExists(atPath: http) && FileManager.default.fileExists(atPath: grpc)
        }
        let health = try run(
            "/usr/bin/curl",
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", http,
                "http://localhost/v1.0/healthz/outbound",
            ])
        #expect(health.stdout == "204", "\(health.stdout) \(health.stderr)")
        let code = """
            import sys, grpc
            from dapr.proto.runtime.v1 import binding_pb2 as pb, dapr_pb2_grpc as rpc
            stub = rpc.DaprStub(grpc.insecure_channel("unix://" + sys.argv[1]))
            print(stub.InvokeBinding(pb.InvokeBindingRequest(name="target", operation="post", data=b"uds"), timeout=10).data.decode())
            """
        let result = try run("/usr/bin/env", ["python3", "-c", code, grpc])
        #expect(result.stdout.hasPrefix("{\"received\": 1}"), "\(result.stdout) \(result.stderr)")
        #expect(try await received(target).first?["body"] as? String == "756473")  // "uds"
        bindery.stop()
        #expect(!FileManager.default.fileExists(atPath: http) && !FileManager.default.fileExists(atPath: grpc))
    }

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
                "python3", "\(Self.apps)/grpc_app.py", out,
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

/// Bytes from lower-case hex.
func hexBytes(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
        bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}
