import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// bindings.aws.s3 through `bindery run` (the built bindery-aws-s3.so, a Dapr component file with
/// `endpoint` at moto) over Dapr's HTTP API and, with Dapr's Python SDK, its gRPC API; and
/// `bindery validate` catching a missing bucket.
@Suite struct AWSS3RunTests {
    private func components(_ server: ServerProcess, bucket: String) throws -> String {
        let directory = try temporaryDirectory("s3-components")
        try writeComponent(
            directory, name: "files", type: "bindings.aws.s3",
            metadata: [
                ("bucket", bucket), ("endpoint", server.endpointURL), ("region", "us-east-1"),
                ("accessKey", "testing"), ("secretKey", "testing"), ("forcePathStyle", "true"),
            ])
        return directory
    }

    @Test func theHTTPAPICreatesGetsListsPresignsAndDeletes() async throws {
        let server = try await ServerProcess.moto()
        let bucket = "run-\(UInt32.random(in: 0...UInt32.max))"
        _ = try server.boto3("client('s3').create_bucket(Bucket='\(bucket)')")
        let bindery = try await BinderyProcess(["--resources-path", try components(server, bucket: bucket)])
        defer { bindery.stop() }

        let created = try await bindery.invoke(
            "files", "create", data: "\"Grüße aus bindery\"", metadata: ["key": "greetings/hello world.txt"])
        #expect(created.status == 200, "\(created.text)")
        #expect(created.header("metadata.key") == "greetings/hello world.txt")
        #expect(
            created.json?["location"] as? String == "\(server.endpointURL)/\(bucket)/greetings/hello%20world.txt")

        let got = try await bindery.invoke("files", "get", metadata: ["key": "greetings/hello world.txt"])
        #expect(got.status == 200 && got.text == "Grüße aus bindery", "\(got.text)")

        let listed = try await bindery.invoke("files", "list", data: "{\"prefix\": \"greetings/\"}")
        #expect(listed.status == 200)
        let contents = listed.json?["Contents"] as? [[String: Any]]
        #expect(contents?.compactMap { $0["Key"] as? String } == ["greetings/hello world.txt"], "\(listed.text)")

        let presigned = try await bindery.invoke(
            "files", "presign", metadata: ["key": "greetings/hello world.txt", "presignTTL": "5m"])
        let url = try #require(presigned.json?["presignURL"] as? String, "\(presigned.text)")
        let fetched = try run("/usr/bin/curl", ["-s", "-f", url])
        #expect(fetched.status == 0 && fetched.stdout == "Grüße aus bindery", "\(fetched.stderr)")

        let deleted = try await bindery.invoke("files", "delete", metadata: ["key": "greetings/hello world.txt"])
        #expect(deleted.status == 204)
        let missing = try await bindery.invoke("files", "get", metadata: ["key": "greetings/hello world.txt"])
        #expect(missing.status == 500)
        #expect(missing.json?["errorCode"] as? String == "ERR_INVOKE_OUTPUT_BINDING")
        #expect(missing.json?["message"] as? String == "error invoking output binding files: object not found")
    }

    @Test func aBucketThatDoesNotExistAnswers500NamingIt() async throws {
        let server = try await ServerProcess.moto()
        let bindery = try await BinderyProcess(["--resources-path", try components(server, bucket: "absent-bucket")])
        defer { bindery.stop() }
        let answer = try await bindery.invoke("files", "create", data: "\"x\"", metadata: ["key": "k"])
        #expect(answer.status == 500)
        let message = answer.json?["message"] as? String ?? ""
        #expect(
            message.hasPrefix(
                "error invoking output binding files: s3 binding error: uploading failed: operation error S3: PutObject"
            ),
            "\(message)")
        #expect(message.contains("NoSuchBucket"), "\(message)")
    }

    @Test(.timeLimit(.minutes(2))) func thePythonSDKUsesTheBindingOverGRPC() async throws {
        let server = try await ServerProcess.moto()
        let bucket = "sdk-\(UInt32.random(in: 0...UInt32.max))"
        _ = try server.boto3("client('s3').create_bucket(Bucket='\(bucket)')")
        let out = "\(try temporaryDirectory("s3-sdk"))/out.json"
        let bindery = try await BinderyProcess(
            [
                "--app-id", "s3app", "--resources-path", try components(server, bucket: bucket), "--",
                "python3", "\(GRPCRunSupport.apps)/s3_sdk_client.py", "files", out,
            ], waitReady: false)
        defer { bindery.stop() }
        try await eventually("the SDK app to write \(out); log:\n\(bindery.log)", timeout: .seconds(60)) {
            FileManager.default.fileExists(atPath: out)
        }
        let seen = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let key = "sdk/hello wörld+1.txt"
        let created = try #require(seen["create"] as? [String: Any], "\(seen)")
        #expect((created["metadata"] as? [String: String])?["key"] == key, "\(created)")
        #expect(seen["presigned"] as? String == "from the python sdk\n200", "\(seen)")
        #expect((seen["get"] as? [String: Any])?["data"] as? String == "from the python sdk", "\(seen)")
        #expect(
            ((seen["list"] as? [String: Any])?["data"] as? String)?.contains("\"Key\":\"sdk/hello wörld+1.txt\"")
                == true, "\(seen)")
        #expect((seen["delete"] as? [String: Any])?["error"] == nil, "\(seen)")
        #expect(
            ((seen["missing"] as? [String: Any])?["error"] as? String)?.contains("object not found") == true, "\(seen)")
        #expect(try server.boto3("print(client('s3').list_objects(Bucket='\(bucket)').get('Contents', []))") == "[]\n")
    }

    @Test func validateCatchesAMissingBucket() throws {
        let components = try temporaryDirectory("s3-validate")
        try writeComponent(
            components, name: "files", type: "bindings.aws.s3",
            metadata: [("region", "us-east-1"), ("accessKey", "a"), ("secretKey", "b")])
        let result = try run(
            try Paths.bindery, ["validate", "--resources-path", components], environment: ["HOME": NSHomeDirectory()])
        #expect(result.status != 0)
        #expect(
            result.stdout.contains(
                "component \"files\" (bindings.aws.s3): required metadata field \"bucket\" is missing"),
            "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1 components, 1 errors"), "\(result.stdout)")
    }
}
