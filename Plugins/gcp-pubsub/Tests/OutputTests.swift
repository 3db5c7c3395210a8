import DriverKit
import DriverTesting
import Testing

@testable import GCPPubSubDriver

/// `create` against the emulator: what is published where, and the errors.
@Suite struct OutputTests {
    @Test func createPublishesTheDataToTheTopic() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("out"), uniqueName("out-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription)
        let driver = try await output(emulator, topic: topic)
        try await withStopping(driver) {
            try await driver.publish("{\"n\":1}")
            try await driver.publish("plain text")
            #expect(try await Emulator.drain(emulator, subscription) == ["{\"n\":1}", "plain text"])
        }
    }

    @Test func binaryDataArrivesByteForByte() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("bin"), uniqueName("bin-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription)
        let app = App()
        let consumer = try await input(emulator, topic: topic, subscription: subscription, app: app)
        let bytes: [UInt8] = [0, 255, 1, 254, 0x80, 10, 13]
        try await withStopping(consumer) {
            let producer = try await output(emulator, topic: topic)
            try await withStopping(producer) {
                let response = try await producer.invoke(InvokeRequest(operation: "create", data: bytes))
                #expect(response == nil)
            }
            try await eventually("the message acknowledged", timeout: .seconds(30)) {
                consumer.inputCounts.acknowledged == 1
            }
        }
        #expect(app.events.map(\.data) == [bytes])
    }

    @Test func requestMetadataTopicOverridesTheComponentsTopic() async throws {
        let emulator = try await sharedEmulator()
        let (topic, other, subscription) = (uniqueName("main"), uniqueName("other"), uniqueName("other-sub"))
        try await Emulator.create(emulator, topic: topic)
        try await Emulator.create(emulator, topic: other, subscription: subscription)
        let driver = try await output(emulator, topic: topic)
        try await withStopping(driver) {
            try await driver.publish("elsewhere", metadata: ["topic": other])
            // A full path names the topic too (a bindery extension: another project's topic).
            try await driver.publish(
                "by path", metadata: ["topic": "projects/\(ServerProcess.pubSubProject)/topics/\(other)"])
            #expect(try await Emulator.drain(emulator, subscription) == ["elsewhere", "by path"])
        }
    }

    @Test func aTopicThatDoesNotExistFailsNamingIt() async throws {
        let emulator = try await sharedEmulator()
        let topic = uniqueName("missing")
        let driver = try await output(emulator, topic: topic)
        try await withStopping(driver) {
            let error = try await #require(throws: DriverError.self) { try await driver.publish("lost?") }
            #expect(error.code == .notFound)
            #expect(
                error.message
                    == "orders: publish to topic \"projects/\(ServerProcess.pubSubProject)/topics/\(topic)\": NOT_FOUND: Topic not found (HTTP 404)"
            )
        }
    }

    @Test func anInvalidTopicNameIsRefusedByPubSub() async throws {
        let emulator = try await sharedEmulator()
        let driver = try await output(emulator, topic: "x")
        try await withStopping(driver) {
            let error = try await #require(throws: DriverError.self) { try await driver.publish("data") }
            #expect(error.code == .invalidArgument)
            #expect(
                error.message.hasPrefix("orders: publish to topic \"projects/bindery-test/topics/x\": INVALID_ARGUMENT")
            )
        }
    }

    @Test func anEmptyMessageIsRefusedByPubSubAndNothingIsPublished() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("empty"), uniqueName("empty-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription)
        let driver = try await output(emulator, topic: topic)
        try await withStopping(driver) {
            // Pub/Sub takes no message without data or attributes; Dapr's binding sends none either.
            let error = try await #require(throws: DriverError.self) { try await driver.publish("") }
            #expect(error.code == .invalidArgument, "\(error.message)")
            #expect(
                error.message.hasPrefix(
                    "orders: publish to topic \"projects/bindery-test/topics/\(topic)\": INVALID_ARGUMENT"))
            #expect(try await Emulator.drain(emulator, subscription).isEmpty)
        }
    }

    @Test func anOperationOtherThanCreateIsRefused() async throws {
        let emulator = try await sharedEmulator()
        let driver = try await output(emulator, topic: uniqueName("ops"))
        try await withStopping(driver) {
            let error = try await #require(throws: DriverError.self) {
                _ = try await driver.invoke(InvokeRequest(operation: "get", data: []))
            }
            #expect(error.code == .unsupported)
            #expect(error.message == "binding orders does not support operation get. supported operations:create")
        }
    }

    @Test func anUnreachableEndpointFailsNamingTheTopicAndTheReason() async throws {
        let port = try freePort()
        let driver = try await output(
            try await sharedEmulator(), topic: "nowhere", ["endpoint": "http://127.0.0.1:\(port)"])
        try await withStopping(driver) {
            let error = try await #require(throws: DriverError.self) { try await driver.publish("data") }
            #expect(error.code == .unavailable)
            #expect(error.message.hasPrefix("orders: publish to topic \"projects/bindery-test/topics/nowhere\": "))
        }
    }
}
