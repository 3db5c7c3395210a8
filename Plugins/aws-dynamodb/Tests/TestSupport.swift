import DriverKit
import DriverTesting
import Foundation

@testable import DynamoDBDriver

/// An output instance of component `component` for `table` at `moto`, not started; `extra` is
/// added over the metadata.
func makeDriver(
    _ moto: ServerProcess, table: String, component: String = "items", _ extra: [String: String] = [:]
) throws -> DynamoDBDriver {
    var metadata = [
        "table": table, "endpoint": "http://\(moto.address)", "region": "us-east-1", "accessKey": "testing",
        "secretKey": "testing",
    ]
    metadata.merge(extra) { $1 }
    return try DynamoDBDriver(
        configuration: DriverConfiguration(
            componentName: component, type: "bindings.aws.dynamodb", directions: .output, metadata: metadata))
}

/// A started output instance.
func startedDriver(
    _ moto: ServerProcess, table: String, _ extra: [String: String] = [:]
) async throws -> DynamoDBDriver {
    let driver = try makeDriver(moto, table: table, extra)
    try await driver.start()
    return driver
}

extension DynamoDBDriver {
    /// `create` with `data` (JSON text, as the HTTP API hands it over).
    func create(_ data: String) async throws {
        let response = try await invoke(InvokeRequest(operation: "create", data: Array(data.utf8)))
        if response != nil { throw TestFailure("create returned a response") }
    }
}

/// A table name no other test uses.
func uniqueTable(_ prefix: String) -> String {
    "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
}

/// boto3 against a moto server, as an oracle independent of the driver: creates tables and
/// reads items back in DynamoDB's typed JSON.
enum Boto {
    private static let script = """
        import json, sys, boto3
        endpoint, key, secret, command, *args = sys.argv[1:]
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id=key, aws_secret_access_key=secret)
        if command == "create-table":
            client.create_table(TableName=args[0], KeySchema=[{"AttributeName": args[1], "KeyType": "HASH"}],
                                AttributeDefinitions=[{"AttributeName": args[1], "AttributeType": "S"}],
                                BillingMode="PAY_PER_REQUEST")
            print("{}")
        elif command == "get-item":
            reply = client.get_item(TableName=args[0], Key={args[1]: {"S": args[2]}}, ConsistentRead=True)
            print(json.dumps(json.dumps(reply["Item"], sort_keys=True, separators=(",", ":")) if "Item" in reply else None))
        elif command == "count":
            print(json.dumps(client.scan(TableName=args[0], Select="COUNT")["Count"]))
        """

    private static let path: String = {
        let folder = (try? temporaryDirectory("boto-dynamodb")) ?? "/tmp"
        let path = folder + "/boto_dynamodb.py"
        _ = FileManager.default.createFile(atPath: path, contents: Data(script.utf8))
        return path
    }()

    /// Runs `command` against `moto`; its JSON output.
    @discardableResult
    static func run(
        _ moto: ServerProcess, _ command: String, _ arguments: [String], key: String = "testing",
        secret: String = "testing"
    ) async throws -> Any? {
        let path = Boto.path
        let arguments = [path, "http://\(moto.address)", key, secret, command] + arguments
        let result = try await onDedicatedThread { try DriverTesting.run("/usr/bin/env", ["python3"] + arguments) }
        guard result.status == 0 else { throw TestFailure("boto3 \(command) \(arguments) failed: \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: .fragmentsAllowed)
    }

    /// Creates table `name` with string hash key `key`.
    static func createTable(_ moto: ServerProcess, _ name: String, key: String = "id") async throws {
        _ = try await run(moto, "create-table", [name, key])
    }

    /// The item whose key `key` is `value`, as DynamoDB's typed JSON with sorted keys and no
    /// spaces (`{"id":{"S":"1"},"n":{"N":"1.5"}}`); nil if there is none.
    static func item(_ moto: ServerProcess, _ table: String, key: String = "id", _ value: String) async throws
        -> String?
    {
        try await run(moto, "get-item", [table, key, value]) as? String
    }
}

/// Runs `body` with a started instance and stops it afterwards, whatever `body` did.
func withDriver<T>(
    _ moto: ServerProcess, table: String, _ extra: [String: String] = [:],
    _ body: (DynamoDBDriver) async throws -> T
) async throws -> T {
    let driver = try await startedDriver(moto, table: table, extra)
    do {
        let result = try await body(driver)
        await driver.stop()
        return result
    } catch {
        await driver.stop()
        throw error
    }
}
