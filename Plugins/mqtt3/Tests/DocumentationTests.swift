import DriverKit
import DriverTesting
import Testing

@testable import MQTTDriver

/// The example component creates both directions, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreatesBothDirections() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.mqtt3")
        let metadata = Dictionary(uniqueKeysWithValues: example.values())
        for direction: Directions in [.input, .output] {
            let driver = try MQTTDriver(
                configuration: DriverConfiguration(
                    componentName: example.name, type: example.type, directions: direction, metadata: metadata)
            ) { _, _ in }
            #expect(driver.settings.url.port == 1883)
            #expect(driver.settings.backOffMaxRetries == 3)
        }
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let broker = try await ServerProcess.mosquitto()
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-mqtt3"), overrides: ["url": broker.mqttURL],
            requests: ["create": .init(metadata: ["topic": "conformance/out"])],
            // Retained, so the subscription gets it whenever it is made.
            inputTrigger: {
                try await broker.mosquittoPublish(["-r", "-t", "sensors/kitchen/temperature", "-m", "21"])
            }
        ).run()
    }
}
