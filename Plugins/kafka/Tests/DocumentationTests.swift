import DriverKit
import DriverTesting
import Testing

@testable import KafkaDriver

/// The example component creates both directions, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreatesBothDirections() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.kafka")
        let metadata = Dictionary(uniqueKeysWithValues: example.values())
        for direction: Directions in [.input, .output] {
            let driver = try KafkaDriver(
                configuration: DriverConfiguration(
                    componentName: example.name, type: example.type, directions: direction, metadata: metadata)
            ) { _, _ in }
            #expect(driver.settings.topics == ["someTopic"])
            #expect(driver.settings.publishTopic == "someTopic2")
            #expect(driver.settings.consumerGroup == "group1")
        }
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let kafka = try await cluster(["someTopic": 1, "someTopic2": 1])
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-kafka"),
            overrides: [
                "brokers": kafka.kafkaBrokers, "initialOffset": "oldest", "sessionTimeout": "6s",
                "heartbeatInterval": "500ms",
            ],
            inputTrigger: { try await kafka.kafkaProduce(topic: "someTopic", ["{\"conformance\":true}"]) },
            timeout: .seconds(30)
        ).run()
    }
}
