import DriverKit
import DriverTesting
import Testing

@testable import RabbitMQDriver

/// The example component creates both directions, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreatesBothDirections() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.rabbitmq")
        let metadata = Dictionary(uniqueKeysWithValues: example.values())
        for direction: Directions in [.input, .output] {
            let driver = try RabbitMQDriver(
                configuration: DriverConfiguration(
                    componentName: example.name, type: example.type, directions: direction, metadata: metadata)
            ) { _, _ in }
            #expect(driver.settings.address.port == 5672 && driver.settings.queueName == "orders")
            #expect(driver.settings.durable && driver.settings.prefetchCount == 10)
        }
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("conformance")
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-rabbitmq"),
            overrides: ["host": broker.amqpURL, "queueName": queue],
            inputTrigger: { _ = try await AMQPTool.run(broker, ["publish", queue, "{\"conformance\":true}"]) }
        ).run()
    }
}
