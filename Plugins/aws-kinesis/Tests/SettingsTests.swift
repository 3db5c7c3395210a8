import DriverKit
import DriverTesting
import Testing

@testable import KinesisDriver

/// The component's metadata as the driver reads it, and what input refuses before reading.
@Suite struct SettingsTests {
    private func driver(_ metadata: [String: String], _ direction: Directions = .output) throws -> KinesisDriver {
        try KinesisDriver(
            configuration: DriverConfiguration(
                componentName: "clicks", type: "bindings.aws.kinesis", directions: direction,
                metadata: ["region": "us-east-1", "accessKey": "a", "secretKey": "b"].merging(metadata) { $1 }),
            log: { _, _ in })
    }

    @Test func aMissingStreamNameIsRefusedNamingTheComponentAndTheField() {
        let error = #expect(throws: DriverError.self) { try driver([:]) }
        #expect(error?.message == "clicks: metadata \"streamName\" is required")
    }

    @Test func anUnknownModeIsRefusedQuotingIt() {
        let error = #expect(throws: DriverError.self) { try driver(["streamName": "s", "mode": "fanout"]) }
        #expect(
            error?.message.contains("\"mode\"") == true && error?.message.contains("fanout") == true,
            "\(error?.message ?? "")")
    }

    @Test func defaultsAreDaprs() throws {
        let settings = try driver(["streamName": "s"]).settings
        #expect(settings.mode == .shared)
        #expect(settings.initialPosition == .latest)
        #expect(settings.consumerName == nil && settings.partitionKey == nil)
        let other = try driver(["streamName": "s", "initialPosition": "trimHorizon", "consumerName": "app"]).settings
        #expect(other.initialPosition == .trimHorizon && other.consumerName == "app")
    }

    @Test func extendedModeIsRefusedWhenInputStarts() async throws {
        let input = try driver(["streamName": "s", "mode": "extended", "consumerName": "app"], .input)
        // Output works in extended mode, as in Dapr: the mode only changes how input reads.
        let error = await #expect(throws: DriverError.self) { try await input.startAsTheHostDoes { _, _ in .stopped } }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("clicks") == true && error?.message.contains("extended") == true)
        await input.stop()
    }

    @Test func inputWithoutAConsumerNameIsRefused() async throws {
        let input = try driver(["streamName": "s"], .input)
        let error = await #expect(throws: DriverError.self) { try await input.startAsTheHostDoes { _, _ in .stopped } }
        #expect(error?.message.contains("\"consumerName\" is required") == true, "\(error?.message ?? "")")
        await input.stop()
    }
}
