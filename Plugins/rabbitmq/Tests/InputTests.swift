import DriverKit
import DriverTesting
import Testing

@testable import RabbitMQDriver

/// Input against the shared real broker: what the app receives, and when the broker hears
/// that a message was handled.
@Suite struct InputTests {
    @Test func deliversTheBodyAndStringHeadersAsDaprDoes() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("in")
        let app = App()
        let driver = try await input(broker, queue: queue, app: app)
        defer { Task { await driver.stop() } }
        _ = try await AMQPTool.run(broker, ["publish", queue, "{\"n\":1}", "trace-id=abc", "a key=v1"])
        try await eventually("the app to receive the message", timeout: .seconds(30)) { app.events.count == 1 }
        let event = try #require(app.events.first)
        #expect(event.body == "{\"n\":1}")
        // String headers only (the integer header "number" is left out), keys query-escaped.
        #expect(event.metadata == ["trace-id": "abc", "a+key": "v1"])
        try await eventually("the ack to reach the broker", timeout: .seconds(30)) {
            driver.inputCounts.acknowledged == 1
        }
        #expect(try await AMQPTool.count(broker, queue) == 0)
    }

    @Test func outputToInputCarriesRequestMetadataAsHeaders() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("roundtrip")
        let app = App()
        let consumer = try await input(broker, queue: queue, app: app)
        defer { Task { await consumer.stop() } }
        let producer = try await output(broker, queue: queue)
        defer { Task { await producer.stop() } }
        for n in 1...20 { try await publish(producer, "m\(n)", ["source": "test"]) }
        try await eventually("every message, in order", timeout: .seconds(30)) {
            app.bodies == (1...20).map { "m\($0)" }
        }
        #expect(app.events.allSatisfy { $0.metadata == ["source": "test"] })
    }

    @Test func aMessageIsAcknowledgedOnlyAfterTheAppsSuccess() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("held")
        let holding = App { _, _ in nil }
        let first = try await input(broker, queue: queue, app: holding)
        _ = try await AMQPTool.run(broker, ["publish", queue, "keep me"])
        try await eventually("the app to hold the message", timeout: .seconds(30)) { holding.heldCount == 1 }
        // Stopped before the app answered: the broker still has the message and gives it to
        // the next consumer.
        await first.stop()
        let app = App()
        let second = try await input(broker, queue: queue, app: app)
        defer { Task { await second.stop() } }
        try await eventually("the message to come again", timeout: .seconds(30)) { app.bodies == ["keep me"] }
        try await eventually("the ack to reach the broker", timeout: .seconds(30)) {
            second.inputCounts.acknowledged == 1
        }
        #expect(try await AMQPTool.count(broker, queue) == 0)
    }

    @Test func anAnswerThatComesWhileInputStopsIsStillAcknowledged() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("drain")
        let app = App { _, _ in nil }
        let driver = try await input(broker, queue: queue, app: app, ["prefetchCount": "5"])
        for n in 1...3 { _ = try await AMQPTool.run(broker, ["publish", queue, "m\(n)"]) }
        try await eventually("the app to hold all three", timeout: .seconds(30)) { app.heldCount == 3 }
        // The host stops input first and passes the app's answers on afterwards.
        async let stopped: Void = driver.stop()
        app.answerHeld(.ack)
        await stopped
        #expect(driver.inputCounts.acknowledged == 3)
        #expect(try await AMQPTool.count(broker, queue) == 0)
    }

    @Test func aFailureRequeuesTheMessageAsDaprDoes() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("nack")
        let app = App { _, attempt in attempt < 3 ? .retry : .ack }
        let driver = try await input(broker, queue: queue, app: app)
        defer { Task { await driver.stop() } }
        _ = try await AMQPTool.run(broker, ["publish", queue, "flaky"])
        try await eventually("the third attempt to succeed", timeout: .seconds(30)) {
            driver.inputCounts.acknowledged == 1
        }
        #expect(app.bodies == ["flaky", "flaky", "flaky"])
        #expect(driver.inputCounts.requeued == 2)
        #expect(try await AMQPTool.count(broker, queue) == 0)
    }

    @Test func aDropRemovesTheMessage() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("drop")
        let app = App { _, _ in .drop }
        let driver = try await input(broker, queue: queue, app: app)
        defer { Task { await driver.stop() } }
        _ = try await AMQPTool.run(broker, ["publish", queue, "poison"])
        try await eventually("the app to see it", timeout: .seconds(30)) { app.events.count == 1 }
        try await eventually("the queue to be empty", timeout: .seconds(30)) {
            try await AMQPTool.count(broker, queue) == 0
        }
        #expect(app.events.count == 1)
    }

    @Test func theAppHoldsOneMessageAtATimeUnlessPrefetchCountAllowsMore() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        for (prefetch, expected) in [("0", 1), ("4", 4)] {
            let queue = ServerProcess.uniqueQueueName("window")
            let app = App { _, _ in nil }
            let driver = try await input(broker, queue: queue, app: app, ["prefetchCount": prefetch])
            for n in 1...6 { _ = try await AMQPTool.run(broker, ["publish", queue, "m\(n)"]) }
            try await eventually("\(expected) messages in the app's hands", timeout: .seconds(30)) {
                app.heldCount == expected
            }
            app.answerHeld(.ack)
            try await eventually("all six to be answered", timeout: .seconds(30)) {
                app.answerHeld(.ack)
                return driver.inputCounts.acknowledged == 6
            }
            #expect(app.bodies == (1...6).map { "m\($0)" })
            await driver.stop()
        }
    }
}
