import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import MQTTDriver

/// Input: delivery, topic metadata, acknowledgement only after the app's 2xx, retries.
@Suite struct InputTests {
    @Test func messagesArriveWithTheirTopicAndAreAcknowledgedAfterSuccess() async throws {
        let broker = try await ServerProcess.mosquitto()
        let app = App()
        let driver = try await input(broker, topic: "sensors/#", app: app)
        try await broker.mosquittoPublish(["-t", "sensors/kitchen", "-m", "21.5"])
        try await eventually("the event", timeout: .seconds(30)) { driver.inputCounts.acknowledged == 1 }
        #expect(app.deliveries.map(\.payload) == ["21.5"])
        #expect(app.deliveries.map(\.topic) == ["sensors/kitchen"])
        await driver.stop()
    }

    /// The PUBACK waits for the app: a message the app has not answered when the instance stops
    /// is delivered again to the next instance (same consumerID, persistent session).
    @Test func unansweredMessageIsRedeliveredToTheNextInstance() async throws {
        let broker = try await ServerProcess.mosquitto()
        let first = App { _, _ in nil }
        let old = try await input(broker, topic: "jobs", app: first)
        try await broker.mosquittoPublish(["-t", "jobs", "-m", "job-1"])
        try await eventually("the held event", timeout: .seconds(30)) { first.heldCount == 1 }
        await old.stop()
        // At least once: on a loaded machine the broker may resend the held message after a
        // reconnect, and that copy is released at stop too.
        #expect(old.inputCounts.released >= 1)
        #expect(old.inputCounts.acknowledged == 0)

        let second = App()
        let new = try await input(broker, topic: "jobs", app: second)
        try await eventually("the redelivery", timeout: .seconds(30)) { new.inputCounts.acknowledged == 1 }
        #expect(second.deliveries.map(\.payload) == ["job-1"])
        await new.stop()

        // Answered now: a third instance gets nothing more.
        let third = App()
        let last = try await input(broker, topic: "jobs", app: third)
        try await broker.mosquittoPublish(["-t", "jobs", "-m", "marker"])
        try await eventually("the marker", timeout: .seconds(30)) { last.inputCounts.acknowledged == 1 }
        #expect(third.deliveries.map(\.payload) == ["marker"])
        await last.stop()
    }

    @Test func nackIsRetriedBackOffMaxRetriesTimesThenDropped() async throws {
        let broker = try await ServerProcess.mosquitto()
        let app = App { payload, _ in payload == "bad" ? .retry : .ack }
        let driver = try await input(broker, topic: "retry", app: app, ["backOffMaxRetries": "2"])
        try await broker.mosquittoPublish(["-t", "retry", "-m", "bad"])
        try await broker.mosquittoPublish(["-t", "retry", "-m", "good"])
        try await eventually("both messages", timeout: .seconds(30)) { driver.inputCounts.acknowledged == 1 }
        #expect(app.deliveries.map(\.payload) == ["bad", "bad", "bad", "good"])
        #expect(driver.inputCounts == .init(emitted: 4, acknowledged: 1, dropped: 1))
        await driver.stop()
    }

    @Test func noRetryByDefaultAndForeverWithMinusOne() async throws {
        let broker = try await ServerProcess.mosquitto()
        let once = App { _, _ in .retry }
        let driver = try await input(broker, topic: "a", app: once)
        try await broker.mosquittoPublish(["-t", "a", "-m", "x"])
        try await eventually("the drop", timeout: .seconds(30)) { driver.inputCounts.dropped == 1 }
        #expect(once.deliveries.count == 1)
        await driver.stop()

        let stubborn = App { _, attempt in attempt < 6 ? .retry : .ack }
        let forever = try await input(
            broker, topic: "b", app: stubborn, consumerID: "forever", ["backOffMaxRetries": "-1"])
        try await broker.mosquittoPublish(["-t", "b", "-m", "y"])
        try await eventually("the sixth attempt", timeout: .seconds(30)) { forever.inputCounts.acknowledged == 1 }
        #expect(stubborn.deliveries.count == 6)
        await forever.stop()
    }

    @Test func startInputFailsNamingTheURLWhenTheBrokerIsDown() async throws {
        let port = try freePort()
        let driver = try makeDriver("tcp://127.0.0.1:\(port)", .input, topic: "t")
        let error = await driverError { try await driver.startInput(emit: App().emit) }
        #expect(error?.message.contains("tcp://127.0.0.1:\(port)") == true)
        await driver.stop()
    }
}
