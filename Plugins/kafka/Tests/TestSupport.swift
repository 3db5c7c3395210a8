import DriverKit
import DriverTesting
import Foundation
import Synchronization

@testable import KafkaDriver

/// A mock cluster for one test with `topics` (name: partitions).
func cluster(_ topics: [String: Int], brokers: Int = 1) async throws -> ServerProcess {
    try await ServerProcess.kafkaMock(source: driverFolder() + "/mock/kafka-mock.c", brokers: brokers, topics: topics)
}

/// Component metadata for `cluster`: a short session and heartbeat so a rejoin takes seconds.
func metadata(_ cluster: ServerProcess, _ extra: [String: String] = [:]) -> [String: String] {
    var metadata = [
        "brokers": cluster.kafkaBrokers, "authType": "none", "sessionTimeout": "6s", "heartbeatInterval": "500ms",
        "consumeRetryInterval": "100",
    ]
    metadata.merge(extra) { $1 }
    return metadata
}

/// A driver created as the host creates one (one direction per instance), not started.
func makeDriver(_ metadata: [String: String], _ direction: Directions, component: String = "kafka") throws
    -> KafkaDriver
{
    try KafkaDriver(
        configuration: DriverConfiguration(
            componentName: component, type: "bindings.kafka", directions: direction, metadata: metadata)
    ) { level, line in
        if ProcessInfo.processInfo.environment["KAFKA_TEST_LOG"] != nil { print("[\(level)] \(line)") }
    }
}

/// A started output instance publishing to `topic`.
func output(_ cluster: ServerProcess, topic: String, _ extra: [String: String] = [:]) async throws -> KafkaDriver {
    let driver = try makeDriver(metadata(cluster, ["publishTopic": topic].merging(extra) { $1 }), .output)
    try await driver.start()
    return driver
}

/// A started input instance consuming `topics` in `group`, delivering to `app`; returns once
/// the group gave it partitions (a record produced before that would be missed with newest).
func input(
    _ cluster: ServerProcess, topics: String, group: String = "group1", app: App, _ extra: [String: String] = [:],
    component: String = "kafka"
) async throws -> KafkaDriver {
    let driver = try makeDriver(
        metadata(cluster, ["topics": topics, "consumerGroup": group, "initialOffset": "oldest"].merging(extra) { $1 }),
        .input, component: component)
    try await driver.start()
    app.bind(driver)
    try await driver.startInput(emit: app.emit)
    return driver
}

/// Publishes `text` through `driver` (operation create).
func publish(_ driver: KafkaDriver, _ text: String, _ metadata: [String: String] = [:]) async throws {
    let response = try await driver.invoke(
        InvokeRequest(operation: "create", data: Array(text.utf8), metadata: metadata))
    if response != nil { throw TestFailure("create returned a response") }
}

/// Plays the app: records every event and answers it with what `decide` says (nil: hold it
/// unanswered until `answerHeld`).
final class App: Sendable {
    struct Delivery: Sendable {
        var id: UInt64
        var payload: String
        var metadata: [String: String]
    }

    private struct State {
        var deliveries: [Delivery] = []
        var attempts: [String: Int] = [:]
        var held: [UInt64] = []
        var drivers: [KafkaDriver] = []
        var next: UInt64 = 1
    }

    private let state = Mutex(State())
    private let decide: @Sendable (_ payload: String, _ attempt: Int) -> Acknowledgement.Kind?

    init(decide: @escaping @Sendable (String, Int) -> Acknowledgement.Kind? = { _, _ in .ack }) {
        self.decide = decide
    }

    /// Answers go to `driver` (the latest bound: each instance numbers its own events).
    func bind(_ driver: KafkaDriver) { state.withLock { $0.drivers.append(driver) } }

    var deliveries: [Delivery] { state.withLock { $0.deliveries } }
    var payloads: [String] { deliveries.map(\.payload) }
    var heldCount: Int { state.withLock { $0.held.count } }

    /// The emitter for the instance bound last.
    @Sendable func emit(_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome {
        let payload = String(decoding: data, as: UTF8.self)
        let (id, kind, driver) = state.withLock { state -> (UInt64, Acknowledgement.Kind?, KafkaDriver?) in
            let id = state.next
            state.next += 1
            state.deliveries.append(Delivery(id: id, payload: payload, metadata: metadata))
            state.attempts[payload, default: 0] += 1
            let kind = decide(payload, state.attempts[payload] ?? 1)
            if kind == nil { state.held.append(id) }
            return (id, kind, state.drivers.last)
        }
        if let kind, let driver { Task { driver.delivery.settle(id, kind) } }
        return .accepted(deliveryID: id)
    }

    /// Answers every held event with `kind`.
    func answerHeld(_ kind: Acknowledgement.Kind) {
        let (held, driver) = state.withLock { state in
            defer { state.held = [] }
            return (state.held, state.drivers.last)
        }
        for id in held { driver?.delivery.settle(id, kind) }
    }

    /// Waits until the app has had `count` deliveries.
    func waitFor(_ count: Int, timeout: Duration = .seconds(30)) async throws {
        try await eventually("\(count) deliveries (have \(deliveries.count))", timeout: timeout) {
            deliveries.count >= count
        }
    }
}
