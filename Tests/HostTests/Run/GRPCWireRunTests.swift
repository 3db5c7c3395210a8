import DriverTesting
import Foundation
import HostTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The gRPC API on the wire, through grpcio with the SDK's generated stubs or raw bytes:
/// deadlines, daprd's error codes and texts, malformed messages, Unix sockets (issue 10).
@Suite(.serialized) struct GRPCWireRunTests {
    @Test(.timeLimit(.minutes(2))) func aDeadlineShorterThanTheDriverEndsTheCallAtThatTime() async throws {
        let target = try await GRPCRunSupport.startTarget()
        defer { target.stop() }
        let bindery = try await BinderyProcess(["--resources-path", try GRPCRunSupport.components(target: target)])
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
        let lines = try GRPCRunSupport.python(code, bindery).split(separator: "\n")
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
        let target = try await GRPCRunSupport.startTarget()
        defer { target.stop() }
        let bindery = try await BinderyProcess(["--resources-path", try GRPCRunSupport.components(target: target)])
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
        let lines = try GRPCRunSupport.python(code, bindery).split(separator: "\n").map(String.init)
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
        let target = try await GRPCRunSupport.startTarget()
        defer { target.stop() }
        let bindery = try await BinderyProcess(
            ["--resources-path", try GRPCRunSupport.components(target: target), "--max-body-size", "1Ki"])
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
        let lines = try GRPCRunSupport.python(code, bindery).split(separator: "\n").map(String.init)
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
        let target = try await GRPCRunSupport.startTarget()
        defer { target.stop() }
        let sockets = try temporaryDirectory("uds")
        let bindery = try await BinderyProcess(
            [
                "--app-id", "udsapp", "--unix-domain-socket", sockets, "--resources-path",
                try GRPCRunSupport.components(target: target),
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
        #expect(try await GRPCRunSupport.received(target).first?["body"] as? String == "756473")  // "uds"
        bindery.stop()
        #expect(!FileManager.default.fileExists(atPath: http) && !FileManager.default.fileExists(atPath: grpc))
    }

}
