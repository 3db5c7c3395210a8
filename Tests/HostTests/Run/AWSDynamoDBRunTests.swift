import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// bindings.aws.dynamodb through `bindery run` (the built .so, a Dapr component file with
/// `endpoint` at moto) from the HTTP API and from the Python SDK over gRPC, items read back
/// with boto3 (issue 12).
@Suite struct AWSDynamoDBRunTests {
    static let apps = "\(Paths.fixtures)/apps"

    /// moto, a table `orders` keyed by `id`, and bindery serving component `orders-table` on it.
    private func start() async throws -> (ServerProcess, BinderyProcess) {
        let moto = try await ServerProcess.moto()
        try await DynamoKinesisBoto.run(moto, "create-table", ["orders", "id"])
        let components = try temporaryDirectory("dynamodb-components")
        try writeComponent(
            components, name: "orders-table", type: "bindings.aws.dynamodb",
            metadata: [
                ("table", "orders"), ("region", "us-east-1"), ("accessKey", "testing"), ("secretKey", "testing"),
                ("endpoint", "http://\(moto.address)"),
            ])
        return (moto, try await BinderyProcess(["--resources-path", components]))
    }

    @Test func createThroughTheHTTPAPIPutsTheItem() async throws {
        let (moto, bindery) = try await start()
        defer { bindery.stop() }
        let response = try await bindery.invoke(
            "orders-table", "create", data: #"{"id":"o-1","total":12.50,"paid":true,"items":["a","b"],"note":null}"#)
        #expect(response.status == 204, "\(response.text)")
        let item = try await DynamoKinesisBoto.run(moto, "get-item", ["orders", "id", "o-1"]) as? String
        #expect(
            item
                == #"{"id":{"S":"o-1"},"items":{"L":[{"S":"a"},{"S":"b"}]},"note":{"NULL":true},"paid":{"BOOL":true},"total":{"N":"12.5"}}"#
        )
        let missingKey = try await bindery.invoke("orders-table", "create", data: #"{"total":1}"#)
        #expect(missingKey.status == 500)
        let message = missingKey.json?["message"] as? String ?? ""
        #expect(message.hasPrefix("error invoking output binding orders-table: "), "\(message)")
        #expect(message.contains("ValidationException"), "\(message)")
        let unknown = try await bindery.invoke("orders-table", "get")
        #expect(unknown.status == 500)
    }

    @Test(.timeLimit(.minutes(2))) func createThroughThePythonSDKOverGRPCPutsTheItem() async throws {
        let (moto, bindery) = try await start()
        defer { bindery.stop() }
        let out = "\(try temporaryDirectory("dynamodb-sdk"))/out.json"
        let result = try run(
            "/usr/bin/env",
            [
                "python3", "\(Self.apps)/dynamodb_sdk_client.py", "orders-table", "create", #"{"id":"g-1","qty":3}"#,
                "{}", out,
            ],
            environment: ["DAPR_HTTP_PORT": String(bindery.port), "DAPR_GRPC_PORT": String(bindery.grpcPort)])
        #expect(result.status == 0, "\(result.stderr)")
        let seen = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(seen["code"] == nil, "\(seen)\n\(bindery.log)")
        // gRPC passes the app's bytes unchanged: the driver parses them as JSON.
        let item = try await DynamoKinesisBoto.run(moto, "get-item", ["orders", "id", "g-1"]) as? String
        #expect(item == #"{"id":{"S":"g-1"},"qty":{"N":"3"}}"#)
    }

    @Test func validateCatchesAMissingTable() throws {
        let components = try temporaryDirectory("dynamodb-validate")
        try writeComponent(
            components, name: "orders-table", type: "bindings.aws.dynamodb", metadata: [("region", "us-east-1")])
        let result = try run(try Paths.bindery, ["validate", "--resources-path", components])
        #expect(result.status == 1)
        #expect(result.stdout.contains("table"), "\(result.stdout)")
        #expect(result.stdout.contains("orders-table"), "\(result.stdout)")
    }
}

/// Tests/HostTests/Fixtures/apps/dynamodb_kinesis_boto.py: boto3 against moto, for the AWS run tests.
enum DynamoKinesisBoto {
    /// Runs `command` against `moto`; its JSON output.
    @discardableResult
    static func run(_ moto: ServerProcess, _ command: String, _ arguments: [String]) async throws -> Any? {
        let arguments =
            ["python3", "\(Paths.fixtures)/apps/dynamodb_kinesis_boto.py", "http://\(moto.address)", command]
            + arguments
        let result = try await onDedicatedThread { try DriverTesting.run("/usr/bin/env", arguments) }
        guard result.status == 0 else {
            throw TestFailure("dynamodb_kinesis_boto.py \(command) failed: \(result.stderr)")
        }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: .fragmentsAllowed)
    }
}
