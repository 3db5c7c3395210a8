import DriverKit
import DriverTesting
import Foundation
import Synchronization

@testable import RabbitMQDriver

/// A driver for the queue `queue` on `broker`, created as the host would (one direction per
/// instance), not started.
func makeDriver(
    _ broker: ServerProcess, _ direction: Directions, queue: String, _ extra: [String: String] = [:],
    log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }
) throws -> RabbitMQDriver {
    var metadata = ["host": broker.amqpURL, "queueName": queue, "reconnectWaitInSeconds": "200ms"]
    metadata.merge(extra) { $1 }
    return try RabbitMQDriver(
        configuration: DriverConfiguration(
            componentName: "orders", type: "bindings.rabbitmq", directions: direction, metadata: metadata), log: log)
}

/// A started output instance.
func output(_ broker: ServerProcess, queue: String, _ extra: [String: String] = [:]) async throws -> RabbitMQDriver {
    let driver = try makeDriver(broker, .output, queue: queue, extra)
    try await driver.start()
    return driver
}

/// A started input instance delivering to `app`.
func input(_ broker: ServerProcess, queue: String, app: App, _ extra: [String: String] = [:]) async throws
    -> RabbitMQDriver
{
    let driver = try makeDriver(broker, .input, queue: queue, extra)
    app.bind(driver)
    try await driver.startInput(emit: app.emit)
    return driver
}

/// Publishes `text` through `driver` (operation create).
func publish(_ driver: RabbitMQDriver, _ text: String, _ metadata: [String: String] = [:]) async throws {
    let response = try await driver.invoke(
        InvokeRequest(operation: "create", data: Array(text.utf8), metadata: metadata))
    if response != nil { throw TestFailure("create returned a response") }
}

/// The test helper program (Tools/amqp_tool.c), compiled once per test process.
enum AMQPTool {
    static let path: String = {
        let binary = (try? temporaryDirectory("amqp-tool")).map { $0 + "/amqp_tool" } ?? "/tmp/amqp_tool"
        try? shell("gcc -O2 -o '\(binary)' '\(driverFolder())/Tools/amqp_tool.c' -lrabbitmq")
        return binary
    }()

    /// Runs the tool against `broker`; its stdout lines.
    static func run(_ broker: ServerProcess, _ arguments: [String]) async throws -> [String] {
        let path = AMQPTool.path
        let result = try await onDedicatedThread {
            try DriverTesting.run(path, ["127.0.0.1", String(broker.port)] + arguments)
        }
        guard result.status == 0 else { throw TestFailure("amqp_tool \(arguments) failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// basic.get of one message: its fields by name ("body", "priority", "header K" …), or nil if the queue is empty.
    static func get(_ broker: ServerProcess, _ queue: String) async throws -> [String: String]? {
        let lines = try await run(broker, ["get", queue])
        if lines == ["empty"] { return nil }
        var fields: [String: String] = [:]
        for line in lines {
            if line.hasPrefix("header "), let eq = line.firstIndex(of: "=") {
                fields["header " + line[line.index(line.startIndex, offsetBy: 7)..<eq]] = String(
                    line[line.index(after: eq)...])
            } else if let space = line.firstIndex(of: " ") {
                fields[String(line[..<space])] = String(line[line.index(after: space)...])
            }
        }
        return fields
    }

    static func count(_ broker: ServerProcess, _ queue: String) async throws -> Int {
        Int(try await run(broker, ["count", queue]).first ?? "") ?? -1
    }
}

/// Plays the app: records every event and answers it with what `decide` says (nil: hold it
/// unanswered until `answerHeld`).
final class App: Sendable {
    struct Event: Sendable {
        var id: UInt64
        var body: String
        var metadata: [String: String]
    }

    private struct State {
        var events: [Event] = []
        var attempts: [String: Int] = [:]
        var held: [UInt64] = []
        var driver: RabbitMQDriver?
    }

    private let state = Mutex(State())
    private let decide: @Sendable (_ body: String, _ attempt: Int) -> Acknowledgement.Kind?

    init(decide: @escaping @Sendable (String, Int) -> Acknowledgement.Kind? = { _, _ in .ack }) {
        self.decide = decide
    }

    func bind(_ driver: RabbitMQDriver) { state.withLock { $0.driver = driver } }

    var events: [Event] { state.withLock { $0.events } }
    var bodies: [String] { events.map(\.body) }
    var heldCount: Int { state.withLock { $0.held.count } }

    @Sendable func emit(_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome {
        let body = String(decoding: data, as: UTF8.self)
        let (id, kind, driver) = state.withLock { state -> (UInt64, Acknowledgement.Kind?, RabbitMQDriver?) in
            let id = UInt64(state.events.count + 1)
            state.events.append(Event(id: id, body: body, metadata: metadata))
            state.attempts[body, default: 0] += 1
            let kind = decide(body, state.attempts[body] ?? 1)
            if kind == nil { state.held.append(id) }
            return (id, kind, state.driver)
        }
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
