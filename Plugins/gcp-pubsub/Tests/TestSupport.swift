import DriverKit
import DriverTesting
import Foundation
import Synchronization

@testable import GCPPubSubDriver

/// The emulator the tests of this process share (each test on topics of its own); tests that
/// stop the emulator start their own.
func sharedEmulator() async throws -> ServerProcess {
    try await ServerProcess.sharedPubSubEmulator()
}

/// A topic or subscription name no other test uses.
func uniqueName(_ label: String) -> String { ServerProcess.uniqueName(label) }

/// The metadata of a component on `topic` (and `subscription`) at `emulator`, with `extra` over it.
func metadata(
    _ emulator: ServerProcess, topic: String, subscription: String? = nil, _ extra: [String: String] = [:]
) -> [String: String] {
    var values = ["topic": topic, "endpoint": emulator.endpointURL, "projectID": ServerProcess.pubSubProject]
    if let subscription { values["subscription"] = subscription }
    return values.merging(extra) { $1 }
}

/// An instance for `metadata`, created as the host would (one direction), not started.
func makeDriver(
    _ metadata: [String: String], _ direction: Directions = .output, component: String = "orders",
    log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }
) throws -> PubSubDriver {
    try PubSubDriver(
        configuration: DriverConfiguration(
            componentName: component, type: "bindings.gcp.pubsub", directions: direction, metadata: metadata),
        log: log)
}

/// A started output instance on `topic`.
func output(_ emulator: ServerProcess, topic: String, _ extra: [String: String] = [:]) async throws -> PubSubDriver {
    let driver = try makeDriver(metadata(emulator, topic: topic, extra))
    try await driver.start()
    return driver
}

/// A started input instance on `subscription`, delivering to `app`.
func input(
    _ emulator: ServerProcess, topic: String, subscription: String, app: App, _ extra: [String: String] = [:],
    log: LogLines = LogLines()
) async throws -> PubSubDriver {
    let driver = try makeDriver(
        metadata(emulator, topic: topic, subscription: subscription, extra), .input, log: log.append)
    app.bind(driver)
    try await driver.startInput(emit: app.emit)
    return driver
}

/// Runs `body`, then awaits `driver.stop()`, also when `body` throws: no pull or client thread
/// of a test outlives it.
@discardableResult
func withStopping<T>(_ driver: PubSubDriver, _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        await driver.stop()
        return result
    } catch {
        await driver.stop()
        throw error
    }
}

extension PubSubDriver {
    /// `create` with `text` as the data and `metadata`.
    func publish(_ text: String, metadata: [String: String] = [:]) async throws {
        let response = try await invoke(
            InvokeRequest(operation: "create", data: Array(text.utf8), metadata: metadata))
        if response != nil { throw TestFailure("create returned a response") }
    }
}

/// The driver's log lines, kept for assertions.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
    @Sendable func append(_ level: LogLevel, _ line: String) { lines.withLock { $0.append(line) } }
}

/// Sets up and inspects topics and subscriptions through the emulator's REST API (Python), off
/// Swift's shared threads.
enum Emulator {
    static func create(_ emulator: ServerProcess, topic: String, subscription: String? = nil, ackDeadline: Int = 10)
        async throws
    {
        try await onDedicatedThread {
            try emulator.pubSubCreate(topic: topic, subscription: subscription, ackDeadlineSeconds: ackDeadline)
        }
    }

    static func publish(_ emulator: ServerProcess, _ topic: String, _ texts: String...) async throws {
        try await onDedicatedThread { try emulator.pubSubPublish(topic, texts) }
    }

    static func publish(_ emulator: ServerProcess, _ topic: String, all texts: [String]) async throws {
        try await onDedicatedThread { try emulator.pubSubPublish(topic, texts) }
    }

    /// Pulls and acknowledges every ready message; their texts in the order pulled.
    static func drain(_ emulator: ServerProcess, _ subscription: String) async throws -> [String] {
        try await onDedicatedThread { try emulator.pubSubDrain(subscription) }
    }
}

/// Plays the app: records every event and answers it with what `decide` says (nil: hold it
/// unanswered until `answerHeld`).
final class App: Sendable {
    struct Event: Sendable {
        var id: UInt64
        var body: String
        var data: [UInt8]
        var metadata: [String: String]
    }

    private struct State {
        var events: [Event] = []
        var attempts: [String: Int] = [:]
        var held: [UInt64] = []
        var driver: PubSubDriver?
        var nextID: UInt64 = 1
    }

    private let state = Mutex(State())
    private let decide: @Sendable (_ body: String, _ attempt: Int) -> Acknowledgement.Kind?

    init(decide: @escaping @Sendable (String, Int) -> Acknowledgement.Kind? = { _, _ in .ack }) {
        self.decide = decide
    }

    func bind(_ driver: PubSubDriver) { state.withLock { $0.driver = driver } }

    var events: [Event] { state.withLock { $0.events } }
    var bodies: [String] { events.map(\.body) }
    var heldCount: Int { state.withLock { $0.held.count } }

    @Sendable func emit(_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome {
        let body = String(decoding: data, as: UTF8.self)
        let (id, kind, driver) = state.withLock { state -> (UInt64, Acknowledgement.Kind?, PubSubDriver?) in
            let id = state.nextID
            state.nextID += 1
            state.events.append(Event(id: id, body: body, data: data, metadata: metadata))
            state.attempts[body, default: 0] += 1
            let kind = decide(body, state.attempts[body] ?? 1)
            if kind == nil { state.held.append(id) }
            return (id, kind, state.driver)
        }
        // Answered from another thread, as the host's delivery threads answer.
        if let kind, let driver { Task { driver.settle(id, kind) } }
        return .accepted(deliveryID: id)
    }

    /// Answers every held event with `kind`.
    func answerHeld(_ kind: Acknowledgement.Kind) {
        let (held, driver) = state.withLock { state in
            defer { state.held = [] }
            return (state.held, state.driver)
        }
        for id in held { driver?.settle(id, kind) }
    }
}
