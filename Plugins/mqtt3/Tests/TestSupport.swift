import DriverKit
import DriverTesting
import Foundation
import Synchronization

@testable import MQTTDriver

/// A driver for `broker`, created as the host would (one direction per instance), not started.
func makeDriver(
    _ url: String, _ direction: Directions, topic: String, consumerID: String = "bindery-test",
    _ extra: [String: String] = [:], retryMilliseconds: UInt64 = 20
) throws -> MQTTDriver {
    var metadata = ["url": url, "topic": topic, "consumerID": consumerID]
    metadata.merge(extra) { $1 }
    return try MQTTDriver(
        configuration: DriverConfiguration(
            componentName: "mqtt", type: "bindings.mqtt3", directions: direction, metadata: metadata),
        retryIntervalMilliseconds: retryMilliseconds
    ) { _, _ in }
}

/// A started output instance.
func output(_ broker: ServerProcess, topic: String, _ extra: [String: String] = [:]) async throws -> MQTTDriver {
    let driver = try makeDriver(broker.mqttURL, .output, topic: topic, extra)
    try await driver.start()
    return driver
}

/// A started input instance delivering to `app`.
func input(
    _ broker: ServerProcess, topic: String, app: App, consumerID: String = "bindery-test",
    _ extra: [String: String] = [:]
)
    async throws -> MQTTDriver
{
    let driver = try makeDriver(broker.mqttURL, .input, topic: topic, consumerID: consumerID, extra)
    try await driver.start()
    app.bind(driver)
    try await driver.startInput(emit: app.emit)
    return driver
}

/// Publishes `text` through `driver` (operation create).
func publish(_ driver: MQTTDriver, _ text: String, _ metadata: [String: String] = [:]) async throws {
    let response = try await driver.invoke(
        InvokeRequest(operation: "create", data: Array(text.utf8), metadata: metadata))
    if response != nil { throw TestFailure("create returned a response") }
}

/// Plays the app: records every event and answers it after `delay` with what `decide` says
/// (nil: hold it unanswered until `answerHeld`).
final class App: Sendable {
    struct Delivery: Sendable {
        var id: UInt64
        var payload: String
        var topic: String
    }

    private struct State {
        var deliveries: [Delivery] = []
        var attempts: [String: Int] = [:]
        var held: [UInt64] = []
        var acked: [String] = []
        var driver: MQTTDriver?
    }

    private let state = Mutex(State())
    private let delay: Duration
    private let decide: @Sendable (_ payload: String, _ attempt: Int) -> Acknowledgement.Kind?

    init(delay: Duration = .zero, decide: @escaping @Sendable (String, Int) -> Acknowledgement.Kind? = { _, _ in .ack })
    {
        self.delay = delay
        self.decide = decide
    }

    func bind(_ driver: MQTTDriver) { state.withLock { $0.driver = driver } }

    var deliveries: [Delivery] { state.withLock { $0.deliveries } }
    /// Payloads the app answered with success, in order.
    var acked: [String] { state.withLock { $0.acked } }
    var heldCount: Int { state.withLock { $0.held.count } }

    @Sendable func emit(_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome {
        let payload = String(decoding: data, as: UTF8.self)
        let (id, kind, driver) = state.withLock { state -> (UInt64, Acknowledgement.Kind?, MQTTDriver?) in
            let id = UInt64(state.deliveries.count + 1)
            state.deliveries.append(Delivery(id: id, payload: payload, topic: metadata["topic"] ?? "<none>"))
            state.attempts[payload, default: 0] += 1
            let kind = decide(payload, state.attempts[payload] ?? 1)
            if kind == nil { state.held.append(id) }
            if kind == .ack { state.acked.append(payload) }
            return (id, kind, state.driver)
        }
        if let kind, let driver {
            let delay = self.delay
            Task {
                if delay > .zero { try? await Task.sleep(for: delay) }
                driver.settle(id, kind)
            }
        }
        return .accepted(deliveryID: id)
    }

    /// Answers every held event with `kind`.
    func answerHeld(_ kind: Acknowledgement.Kind) {
        let (held, driver) = state.withLock { state in
            defer { state.held = [] }
            if kind == .ack {
                for id in state.held { state.acked.append(state.deliveries[Int(id) - 1].payload) }
            }
            return (state.held, state.driver)
        }
        for id in held { driver?.settle(id, kind) }
    }
}
