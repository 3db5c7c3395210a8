import DriverKit
import DriverTesting
import Synchronization
import Testing

@testable import RabbitMQDriver

/// The broker goes away and comes back (a node of its own, stopped and started on the same port
/// and data directory): output fails fast while it is down, both directions reconnect by
/// themselves, no confirmed message is lost and no message the app answered is delivered twice.
@Suite struct RestartTests {
    @Test func bothDirectionsSurviveABrokerRestart() async throws {
        let node = try await ServerProcess.rabbitMQ()
        defer { node.stop() }
        let queue = "restart"
        let durable = ["durable": "true", "prefetchCount": "10"]
        let app = App { body, _ in body == "held" ? nil : .ack }
        let consumer = try await input(node, queue: queue, app: app, durable)
        let producer = try await output(node, queue: queue, durable)
        for body in ["held", "a1", "a2", "a3"] { try await publish(producer, body) }
        try await eventually("the app to have all four", timeout: .seconds(30)) { app.events.count == 4 }

        // SIGTERM: rabbitmq-server shuts down cleanly (a blocking wait: off the shared pool).
        _ = try await onDedicatedThread { node.stop() }
        try await eventually("the output to notice", timeout: .seconds(30)) { producer.outputPhase == .down }
        let failure = await driverError { try await publish(producer, "while down") }
        #expect(failure?.code == .unavailable && failure?.isRetryable == true)
        #expect(failure?.message.hasPrefix("orders: failed to publish message: channel/connection is not open") == true)
        // The app answers after the connection it got the message on is gone: the ack cannot be
        // sent, the broker delivers "held" again, and the driver acknowledges that redelivery
        // without handing it to the app a second time.
        app.answerHeld(.ack)

        try await node.start()
        try await eventually("the output to reconnect", timeout: .seconds(60)) { producer.outputPhase == .connected }
        for body in ["b1", "b2"] { try await publish(producer, body) }
        try await eventually("the new messages", timeout: .seconds(60)) { app.bodies.suffix(2) == ["b1", "b2"] }
        try await eventually("the redelivery to be acknowledged", timeout: .seconds(30)) {
            consumer.inputCounts.suppressed == 1
        }
        #expect(app.bodies == ["held", "a1", "a2", "a3", "b1", "b2"])
        #expect(try await AMQPTool.count(node, queue) == 0)
        await producer.stop()
        await consumer.stop()
        _ = try await onDedicatedThread { node.stop() }
    }
}
