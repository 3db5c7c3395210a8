import DriverKit
import DriverTesting
import Testing

@testable import SQSDriver

/// The example component creates an instance, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.aws.sqs")
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["accessKey"] = "from the environment"
        metadata["secretKey"] = "from the environment"
        let driver = try makeDriver(metadata, component: example.name)
        #expect(driver.queueName == "orders")
        #expect(driver.configuration.region == "us-east-1")
    }

    @Test func aMissingQueueNameIsRefusedNamingIt() throws {
        let error = try #require(throws: DriverError.self) { try makeDriver(["region": "us-east-1"]) }
        #expect(error.message == "orders: metadata \"queueName\" is required")
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let moto = try await sharedMoto()
        let queue = uniqueQueue("conformance")
        try await MotoTool.createQueue(moto, queue)
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-aws-sqs"),
            overrides: metadata(moto, queue: queue),
            inputTrigger: { try await MotoTool.send(moto, queue, "{\"trigger\":true}") },
            timeout: .seconds(30)
        ).run()
    }
}
