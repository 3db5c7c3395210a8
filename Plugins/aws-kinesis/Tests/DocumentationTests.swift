import DriverKit
import DriverTesting
import Testing

@testable import KinesisDriver

/// The example component creates an instance, and the built driver passes the conformance
/// suite, input included (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.aws.kinesis")
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["secretKey"] = "from the environment"
        let driver = try KinesisDriver(
            configuration: DriverConfiguration(
                componentName: example.name, type: example.type, directions: [.input, .output], metadata: metadata),
            log: { _, _ in })
        #expect(driver.settings.streamName == "clicks" && driver.settings.consumerName == "click-counter")
        #expect(driver.settings.mode == .shared)
    }

    @Test(.timeLimit(.minutes(3))) func builtDriverPassesTheConformanceSuite() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let stream = unique("conformance")
        try await Boto.createStream(moto, stream, shards: 1)
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-aws-kinesis"),
            overrides: [
                "endpoint": "http://\(moto.address)", "streamName": stream, "consumerName": unique("conformance"),
                "accessKey": "testing", "secretKey": "testing",
            ],
            // Input starts at LATEST (the example's position): a record put once it runs arrives.
            inputTrigger: { try await Boto.put(moto, stream, [("triggered", "k")]) },
            timeout: .seconds(30)
        ).run()
        let records = try await Boto.read(moto, stream)
        #expect(records.contains { $0["data"] == #"{"conformance":true}"# }, "the suite's create landed")
    }
}
