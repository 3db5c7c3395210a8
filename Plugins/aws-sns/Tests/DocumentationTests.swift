import DriverKit
import DriverTesting
import Testing

@testable import SNSDriver

/// The example component creates an instance, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.aws.sns")
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["accessKey"] = "from the environment"
        metadata["secretKey"] = "from the environment"
        let driver = try SNSDriver(
            configuration: DriverConfiguration(
                componentName: example.name, type: example.type, directions: .output, metadata: metadata))
        #expect(driver.topicArn == "arn:aws:sns:us-east-1:123456789012:alerts")
        #expect(driver.configuration.region == "us-east-1")
    }

    @Test func aMissingTopicArnIsRefusedNamingIt() throws {
        let error = try #require(throws: DriverError.self) {
            try SNSDriver(
                configuration: DriverConfiguration(
                    componentName: "alerts", type: "bindings.aws.sns", directions: .output,
                    metadata: ["region": "us-east-1"]))
        }
        #expect(error.message == "alerts: metadata \"topicArn\" is required")
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let moto = try await sharedMoto()
        let (topicArn, queue) = try await MotoTool.topicWithQueue(moto, raw: true)
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-aws-sns"),
            overrides: [
                "topicArn": topicArn, "endpoint": endpoint(moto), "accessKey": "test", "secretKey": "test",
            ],
            requests: ["create": .init(data: "{\"message\":\"conformance\",\"subject\":\"check\"}")],
            timeout: .seconds(30)
        ).run()
        #expect(try await MotoTool.drain(moto, queue) == ["conformance"], "the suite's create landed")
    }
}
