import DriverKit
import DriverTesting
import Testing

@testable import DynamoDBDriver

/// The example component creates an instance, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.aws.dynamodb")
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["secretKey"] = "from the environment"
        let driver = try DynamoDBDriver(
            configuration: DriverConfiguration(
                componentName: example.name, type: example.type, directions: .output, metadata: metadata))
        #expect(driver.settings.table == "orders")
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let table = uniqueTable("conformance")
        try await Boto.createTable(moto, table)
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-aws-dynamodb"),
            overrides: [
                "endpoint": "http://\(moto.address)", "table": table, "accessKey": "testing", "secretKey": "testing",
            ],
            requests: ["create": .init(data: #"{"id":"conformance","ok":true}"#)],
            timeout: .seconds(30)
        ).run()
        // The suite accepts a create that fails with a message; this one must land.
        #expect(try await Boto.item(moto, table, "conformance") == #"{"id":{"S":"conformance"},"ok":{"BOOL":true}}"#)
    }
}
