import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// bindings.gcp.bucket through `bindery run` (the built bindery-gcp-bucket.so, a Dapr component
/// file, and STORAGE_EMULATOR_HOST naming fake-gcs-server, as a Dapr user points the binding at
/// an emulator) over Dapr's HTTP API and, with Dapr's Python SDK, its gRPC API; and
/// `bindery validate` catching a missing bucket.
@Suite struct GCPBucketRunTests {
    private func components(bucket: String) throws -> String {
        let directory = try temporaryDirectory("gcs-components")
        try writeComponent(
            directory, name: "files", type: "bindings.gcp.bucket",
            metadata: [("bucket", bucket), ("projectID", "run-project"), ("signTTL", "15m")])
        return directory
    }

    private func emulator(_ bucket: String) async throws -> ServerProcess {
        let server = try await ServerProcess.sharedGCS()
        try server.gcsCreateBucket(bucket)
        return server
    }

    @Test func theHTTPAPICreatesGetsListsCopiesMovesAndDeletes() async throws {
        let bucket = ServerProcess.uniqueName("run")
        let server = try await emulator(bucket)
        let bindery = try await BinderyProcess(
            ["--resources-path", try components(bucket: bucket)],
            environment: ["STORAGE_EMULATOR_HOST": server.emulatorHost])
        defer { bindery.stop() }

        let created = try await bindery.invoke(
            "files", "create", data: "\"Grüße aus bindery\"", metadata: ["key": "greetings/hello world.txt"])
        #expect(created.status == 200, "\(created.text)")
        #expect(
            created.json?["objectURL"] as? String
                == "https://storage.googleapis.com/\(bucket)/greetings/hello%20world.txt")
        #expect(try server.gcsGet(bucket, "greetings/hello world.txt") == Array("Grüße aus bindery".utf8))

        let got = try await bindery.invoke("files", "get", metadata: ["key": "greetings/hello world.txt"])
        #expect(got.status == 200 && got.text == "Grüße aus bindery", "\(got.text)")

        let listed = try await bindery.invoke("files", "list", data: "{\"prefix\": \"greetings/\"}")
        #expect(listed.status == 200)
        let entries = try JSONSerialization.jsonObject(with: Data(listed.text.utf8)) as? [[String: Any]]
        #expect(entries?.compactMap { $0["Name"] as? String } == ["greetings/hello world.txt"], "\(listed.text)")

        let moved = try await bindery.invoke(
            "files", "move", data: "{\"destinationKey\": \"archive/hello.txt\"}",
            metadata: ["key": "greetings/hello world.txt"])
        #expect(
            moved.status == 200 && moved.text == "object greetings/hello world.txt moved to \(bucket)/archive/hello.txt"
        )
        #expect(try server.gcsNames(bucket) == ["archive/hello.txt"])

        let deleted = try await bindery.invoke("files", "delete", metadata: ["key": "archive/hello.txt"])
        #expect(deleted.status == 204)
        let missing = try await bindery.invoke("files", "get", metadata: ["key": "archive/hello.txt"])
        #expect(missing.status == 500)
        #expect(missing.json?["errorCode"] as? String == "ERR_INVOKE_OUTPUT_BINDING")
        #expect(
            missing.json?["message"] as? String
                == "error invoking output binding files: gcp bucketgcp bucket binding error while downloading object: storage: object doesn't exist"
        )
        // On an emulator without credentials there is no key to sign with: the error says so.
        let sign = try await bindery.invoke("files", "sign", metadata: ["key": "archive/hello.txt"])
        #expect(sign.status == 500)
        #expect(
            (sign.json?["message"] as? String)?.contains("signing needs a service account key") == true, "\(sign.text)")
    }

    @Test(.timeLimit(.minutes(2))) func thePythonSDKUsesTheBindingOverGRPC() async throws {
        let bucket = ServerProcess.uniqueName("sdk")
        let server = try await emulator(bucket)
        let out = "\(try temporaryDirectory("gcs-sdk"))/out.json"
        let bindery = try await BinderyProcess(
            [
                "--app-id", "gcsapp", "--resources-path", try components(bucket: bucket), "--",
                "python3", "\(GRPCRunSupport.apps)/gcs_sdk_client.py", "files", out,
            ], environment: ["STORAGE_EMULATOR_HOST": server.emulatorHost], waitReady: false)
        defer { bindery.stop() }
        try await eventually("the SDK app to write \(out); log:\n\(bindery.log)", timeout: .seconds(60)) {
            FileManager.default.fileExists(atPath: out)
        }
        let seen = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let created = try #require(seen["create"] as? [String: Any], "\(seen)")
        #expect(
            created["data"] as? String
                == "{\"objectURL\":\"https://storage.googleapis.com/\(bucket)/sdk/hello%20w%C3%B6rld+1.txt\"}",
            "\(created)")
        #expect((seen["get"] as? [String: Any])?["data"] as? String == "ZnJvbSB0aGUgcHl0aG9uIHNkaw==", "\(seen)")
        #expect(
            ((seen["list"] as? [String: Any])?["data"] as? String)?.contains("\"Name\":\"sdk/hello wörld+1.txt\"")
                == true, "\(seen)")
        #expect(
            (seen["copy"] as? [String: Any])?["data"] as? String
                == "object sdk/hello wörld+1.txt copied to \(bucket)/sdk/copy.txt", "\(seen)")
        #expect(
            (seen["rename"] as? [String: Any])?["data"] as? String == "object sdk/copy.txt renamed to sdk/renamed.txt",
            "\(seen)")
        #expect((seen["delete"] as? [String: Any])?["error"] == nil, "\(seen)")
        #expect(
            ((seen["missing"] as? [String: Any])?["error"] as? String)?.contains("storage: object doesn't exist")
                == true,
            "\(seen)")
        #expect(try server.gcsNames(bucket) == ["sdk/renamed.txt"])
        #expect(try server.gcsObject(bucket, "sdk/renamed.txt")?["contentType"] as? String == "text/plain")
    }

    @Test func validateCatchesAMissingBucket() throws {
        let components = try temporaryDirectory("gcs-validate")
        try writeComponent(components, name: "files", type: "bindings.gcp.bucket", metadata: [("projectID", "p")])
        let result = try run(
            try Paths.bindery, ["validate", "--resources-path", components], environment: ["HOME": NSHomeDirectory()])
        #expect(result.status != 0)
        #expect(
            result.stdout.contains(
                "component \"files\" (bindings.gcp.bucket): required metadata field \"bucket\" is missing"),
            "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1 components, 1 errors"), "\(result.stdout)")
    }

    @Test func validateAcceptsTheExampleWithItsKeyFromTheEnvironment() throws {
        let components = try temporaryDirectory("gcs-example")
        let example = try String(
            contentsOfFile: "\(Paths.root)/Plugins/gcp-bucket/example.yaml", encoding: .utf8)
        try example.write(toFile: "\(components)/example.yaml", atomically: true, encoding: .utf8)
        let account = try TestServiceAccount(in: try temporaryDirectory("gcs-example-key"))
        let result = try run(
            try Paths.bindery, ["validate", "--resources-path", components],
            environment: ["HOME": NSHomeDirectory(), "GCP_PRIVATE_KEY": account.privateKeyPEM])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1 components, 0 errors, 0 warnings"), "\(result.stdout)")
        #expect(!result.stdout.contains("PRIVATE KEY") && !result.stderr.contains("PRIVATE KEY"))
    }
}
