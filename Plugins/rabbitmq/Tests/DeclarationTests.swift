import DriverKit
import DriverTesting
import Testing

@testable import RabbitMQDriver

/// The queue flags Dapr's binding declares with, seen from the broker's side.
@Suite struct DeclarationTests {
    @Test func deleteWhenUnusedQueueGoesWithItsLastConsumer() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("autodelete")
        let driver = try await input(broker, queue: queue, app: App(), ["deleteWhenUnused": "true"])
        #expect(try await AMQPTool.count(broker, queue) == 0)
        await driver.stop()
        try await eventually("the broker to delete the queue", timeout: .seconds(30)) {
            (try? await AMQPTool.count(broker, queue)) == nil
        }
    }

    @Test func anExclusiveQueueBelongsToOneConnection() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("exclusive")
        let owner = try await output(broker, queue: queue, ["exclusive": "true"])
        try await publish(owner, "mine")
        let error = await driverError { _ = try await input(broker, queue: queue, app: App(), ["exclusive": "true"]) }
        #expect(error?.message.contains("RESOURCE_LOCKED") == true, "\(String(describing: error))")
        #expect(error?.message.hasPrefix("orders: cannot connect to RabbitMQ") == true)
        await owner.stop()
        // An exclusive queue is deleted with the connection that declared it.
        try await eventually("the queue to go with its connection", timeout: .seconds(30)) {
            (try? await AMQPTool.count(broker, queue)) == nil
        }
    }

    @Test func aNonDurableQueueAcceptsPersistentMessagesAsDaprSendsThem() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("transient")
        let driver = try await output(broker, queue: queue, ["durable": "false"])
        defer { Task { await driver.stop() } }
        try await publish(driver, "x")
        #expect(try await AMQPTool.get(broker, queue)?["delivery_mode"] == "2")
    }
}
