import DriverKit
import DriverTesting
import Testing

@testable import RabbitMQDriver

/// `create` against the shared real broker: what lands in the queue, the queue's declaration,
/// and the errors of a broker that cannot be used.
@Suite struct OutputTests {
    @Test func createPublishesWithDaprsPropertiesAndConfirms() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("out")
        let driver = try await output(broker, queue: queue)
        defer { Task { await driver.stop() } }
        try await publish(
            driver, "{\"id\":1}",
            [
                "ttlInSeconds": "60", "priority": "3", "contentType": "application/json", "messageID": "m1",
                "correlationID": "c1", "type": "order", "custom": "v",
            ])
        // The invoke returned after the broker's confirm: the message is in the queue already.
        let message = try #require(try await AMQPTool.get(broker, queue))
        #expect(message["body"] == "{\"id\":1}" && message["content_type"] == "application/json")
        #expect(message["delivery_mode"] == "2" && message["expiration"] == "60000" && message["priority"] == "3")
        #expect(message["message_id"] == "m1" && message["correlation_id"] == "c1" && message["type"] == "order")
        #expect(message["header custom"] == "v" && message["header ttlInSeconds"] == "60")
        try await publish(driver, "plain")
        let plain = try #require(try await AMQPTool.get(broker, queue))
        #expect(plain["content_type"] == "text/plain" && plain["expiration"] == "-" && plain["priority"] == "-1")
    }

    @Test func componentContentTypeIsTheDefault() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("ctype")
        let driver = try await output(broker, queue: queue, ["contentType": "application/cloudevents+json"])
        defer { Task { await driver.stop() } }
        try await publish(driver, "{}")
        #expect(try await AMQPTool.get(broker, queue)?["content_type"] == "application/cloudevents+json")
    }

    @Test func priorityQueueDeliversHigherPrioritiesFirst() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("prio")
        let driver = try await output(broker, queue: queue, ["maxPriority": "10", "durable": "true"])
        defer { Task { await driver.stop() } }
        try await publish(driver, "low", ["priority": "1"])
        try await publish(driver, "high", ["priority": "9"])
        #expect(try await AMQPTool.get(broker, queue)?["body"] == "high")
        #expect(try await AMQPTool.get(broker, queue)?["body"] == "low")
    }

    @Test func queueAndMessageTTLsExpireMessages() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("ttl")
        let driver = try await output(broker, queue: queue, ["ttlInSeconds": "1"])
        defer { Task { await driver.stop() } }
        try await publish(driver, "expires")
        try await eventually("the queue's x-message-ttl to expire the message", timeout: .seconds(30)) {
            try await AMQPTool.count(broker, queue) == 0
        }
        let other = ServerProcess.uniqueQueueName("ttl-request")
        let perMessage = try await output(broker, queue: other)
        defer { Task { await perMessage.stop() } }
        try await publish(perMessage, "expires", ["ttlInSeconds": "1"])
        try await publish(perMessage, "stays")
        try await eventually("the message's expiration to drop it", timeout: .seconds(30)) {
            try await AMQPTool.get(broker, other)?["body"] == "stays"
        }
    }

    @Test func conflictingDeclarationFailsStartNamingTheQueue() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("conflict")
        let durable = try await output(broker, queue: queue, ["durable": "true"])
        defer { Task { await durable.stop() } }
        let error = await driverError { _ = try await output(broker, queue: queue, ["durable": "false"]) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("orders: cannot connect to RabbitMQ at amqp://***@127.0.0.1") == true)
        #expect(error?.message.contains("cannot declare queue \"\(queue)\"") == true)
        #expect(error?.message.contains("PRECONDITION_FAILED") == true)
    }

    @Test func unreachableBrokerAndBadCredentialsFailStart() async throws {
        let port = try freePort()
        let nobody = try makeDriver(
            try await ServerProcess.sharedRabbitMQ(), .output, queue: "q", ["host": "amqp://127.0.0.1:\(port)"])
        let refused = await driverError { try await nobody.start() }
        #expect(refused?.message.hasPrefix("orders: cannot connect to RabbitMQ at amqp://127.0.0.1:\(port)") == true)
        await nobody.stop()
        let broker = try await ServerProcess.sharedRabbitMQ()
        let wrong = try makeDriver(broker, .output, queue: "q", ["host": "amqp://guest:wrong@\(broker.address)"])
        let denied = await driverError { try await wrong.start() }
        #expect(denied?.message.contains("cannot login as \"guest\"") == true)
        #expect(denied?.message.contains("wrong") == false)
        await wrong.stop()
    }

    @Test func invokeBeforeStartAndAfterStopFails() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let driver = try makeDriver(broker, .output, queue: ServerProcess.uniqueQueueName("late"))
        let early = await driverError { try await publish(driver, "x") }
        #expect(early?.code == .unavailable && early?.message.contains("orders") == true)
        try await driver.start()
        await driver.stop()
        await driver.stop()
        let late = await driverError { try await publish(driver, "x") }
        #expect(late?.code == .cancelled && late?.message.contains("orders") == true)
    }
}
