import DriverKit
import DriverTesting
import Foundation
import Synchronization
import Testing

@testable import MQTTDriver

/// At-least-once end to end, counted: a broker restart mid-run and 1000 messages with slow,
/// sometimes failing answers.
@Suite struct DeliveryGuaranteeTests {
    @Test func brokerRestartLosesNothingAndRedeliversNothingAnswered() async throws {
        let broker = try await ServerProcess.mosquitto()
        let producer = try await output(broker, topic: "restart")
        let app = App(delay: .milliseconds(2)) { payload, _ in payload == "held" ? nil : .ack }
        let consumer = try await input(broker, topic: "restart", app: app)

        for index in 0..<20 { try await publish(producer, "before-\(index)") }
        try await publish(producer, "held")
        try await eventually("20 answers and the held event", timeout: .seconds(20)) {
            consumer.inputCounts.acknowledged == 20 && app.heldCount == 1
        }

        try await onDedicatedThread { broker.stop() }
        // While the broker is away, publishes fail fast and name the URL. A probe that raced the
        // producer's thread noticing the loss was already queued by libmosquitto: it fails saying
        // it may still be delivered, and is sent after the reconnect (MQTT 3.1.1, 4.4).
        let queuedProbes = Mutex(0)
        try await eventually("the producer to notice", timeout: .seconds(30)) {
            guard let error = await driverError({ try await publish(producer, "probe") }) else { return false }
            if error.message.contains("may still be delivered") { queuedProbes.withLock { $0 += 1 } }
            return true
        }
        let started = ContinuousClock.now
        let error = await driverError { try await publish(producer, "while-down") }
        #expect(ContinuousClock.now - started < .milliseconds(500))
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains(broker.mqttURL) == true)
        // The app answers the held event only now: its PUBACK cannot reach the broker.
        app.answerHeld(.ack)

        try await broker.start()
        var after = 0
        try await eventually("the producer to reconnect", timeout: .seconds(20)) {
            (try? await publish(producer, "after-\(after)")) != nil
        }
        after = 1
        while after < 20 {
            try await publish(producer, "after-\(after)")
            after += 1
        }
        let expected = Set((0..<20).map { "before-\($0)" } + ["held"] + (0..<20).map { "after-\($0)" })
        // A queued probe goes out before every "after-" message (lower id, resent at CONNACK).
        let probeAcks = { app.acked.filter { $0 == "probe" }.count }
        try await eventually("every message answered", timeout: .seconds(30)) {
            Set(app.acked).subtracting(["probe"]) == expected
                && consumer.inputCounts.acknowledged == expected.count + probeAcks()
        }

        let probes = app.deliveries.filter { $0.payload == "probe" }.count
        let mayArrive = queuedProbes.withLock { $0 }
        #expect(probes <= mayArrive, "only a probe that said it may still be delivered was: \(probes)")
        let payloads = app.deliveries.map(\.payload).filter { $0 != "probe" }
        #expect(payloads.count == expected.count, "each message exactly once: \(payloads.count) deliveries")
        #expect(Set(payloads) == expected)
        // "held" (answered after the broker left) and every answered message whose PUBACK was
        // still queued (libmosquitto reads a burst of messages before it writes their PUBACKs:
        // up to the broker's in-flight window of 20) came back from the saved session and were
        // recognised, not delivered again.
        #expect((1...21).contains(consumer.inputCounts.suppressed), "\(consumer.inputCounts)")
        #expect(consumer.inputCounts.acknowledged == expected.count + probeAcks())
        await consumer.stop()
        await producer.stop()
    }

    @Test func thousandMessagesWithSlowAnswersAndNacksAllArrive() async throws {
        let broker = try await ServerProcess.mosquitto()
        let producer = try await output(broker, topic: "load")
        // Every tenth message fails on its first delivery; answers take 1 ms.
        let app = App(delay: .milliseconds(1)) { payload, attempt in
            (Int(payload) ?? 0) % 10 == 3 && attempt == 1 ? .retry : .ack
        }
        let consumer = try await input(broker, topic: "load", app: app, ["backOffMaxRetries": "3"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for batch in stride(from: 0, to: 1000, by: 50) {
                for index in batch..<(batch + 50) { group.addTask { try await publish(producer, "\(index)") } }
                try await group.waitForAll()
            }
        }
        try await eventually("1000 answers", timeout: .seconds(120)) { consumer.inputCounts.acknowledged == 1000 }

        let payloads = app.deliveries.map(\.payload)
        var perMessage: [String: Int] = [:]
        for payload in payloads { perMessage[payload, default: 0] += 1 }
        #expect(perMessage.count == 1000)
        // 100 messages were nacked once, so exactly 1100 deliveries and no other duplicate.
        #expect(payloads.count == 1100)
        #expect(perMessage.filter { (Int($0.key) ?? 0) % 10 == 3 }.allSatisfy { $0.value == 2 })
        #expect(perMessage.filter { (Int($0.key) ?? 0) % 10 != 3 }.allSatisfy { $0.value == 1 })
        #expect(consumer.inputCounts == .init(emitted: 1100, acknowledged: 1000))
        await consumer.stop()
        await producer.stop()
    }
}
