import DriverKit
import DriverTesting
import Foundation
import Synchronization

@testable import SQSDriver

/// The moto server the tests of this process share (each test on queues of its own); tests
/// that stop the server start their own.
func sharedMoto() async throws -> ServerProcess {
    try await ServerProcess.sharedMoto()
}

/// `http://127.0.0.1:PORT`: the `endpoint` metadata for `moto`.
func endpoint(_ moto: ServerProcess) -> String { moto.endpointURL }

/// A queue name no other test uses.
func uniqueQueue(_ label: String) -> String { ServerProcess.uniqueName(label) }

/// The metadata of a component on `queue` at `moto`, with `extra` over it.
func metadata(_ moto: ServerProcess, queue: String, _ extra: [String: String] = [:]) -> [String: String] {
    [
        "queueName": queue, "endpoint": endpoint(moto), "region": "us-east-1", "accessKey": "test",
        "secretKey": "test",
    ].merging(extra) { $1 }
}

/// An instance for `metadata`, created as the host would (one direction), not started.
func makeDriver(
    _ metadata: [String: String], _ direction: Directions = .output, component: String = "orders",
    log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }
) throws -> SQSDriver {
    try SQSDriver(
        configuration: DriverConfiguration(
            componentName: component, type: "bindings.aws.sqs", directions: direction, metadata: metadata), log: log)
}

/// A started output instance on `queue`.
func output(_ moto: ServerProcess, queue: String, _ extra: [String: String] = [:]) async throws -> SQSDriver {
    let driver = try makeDriver(metadata(moto, queue: queue, extra))
    try await driver.start()
    return driver
}

/// A started input instance on `queue`, delivering to `app`.
func input(
    _ moto: ServerProcess, queue: String, app: App, _ extra: [String: String] = [:], log: LogLines = LogLines()
) async throws -> SQSDriver {
    let driver = try makeDriver(metadata(moto, queue: queue, extra), .input, log: log.append)
    app.bind(driver)
    try await driver.startInput(emit: app.emit)
    return driver
}

/// Runs `body`, then awaits `driver.stop()`, also when `body` throws: no long poll or client
/// thread of a test outlives it (nor the moto server it talks to).
@discardableResult
func withStopping<T>(_ driver: SQSDriver, _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        await driver.stop()
        return result
    } catch {
        await driver.stop()
        throw error
    }
}

extension SQSDriver {
    /// `create` with `text` as the data.
    func send(_ text: String) async throws {
        let response = try await invoke(InvokeRequest(operation: "create", data: Array(text.utf8)))
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

/// Sets up and inspects queues with boto3 (`ServerProcess.boto3`), off Swift's shared threads.
enum MotoTool {
    /// Runs `script` (which sees `client(service)` and `json`); what it printed, trimmed.
    @discardableResult
    static func python(_ moto: ServerProcess, _ script: String) async throws -> String {
        try await onDedicatedThread { try moto.boto3(script) }.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `texts` as a Python list: JSON decoded by `json.loads`.
    static func list(_ texts: [String]) throws -> String {
        let encoded = String(decoding: try JSONSerialization.data(withJSONObject: texts), as: UTF8.self)
        return "json.loads(r'''\(encoded)''')"
    }

    /// The lines that set `sqs` and `url` for `queue`.
    static func resolve(_ queue: String) -> String {
        "sqs = client('sqs'); url = sqs.get_queue_url(QueueName='\(queue)')['QueueUrl']\n"
    }

    static func createQueue(_ moto: ServerProcess, _ name: String, visibilityTimeout: Int? = nil) async throws {
        let attributes = visibilityTimeout.map { "{'VisibilityTimeout': '\($0)'}" } ?? "{}"
        try await python(moto, "client('sqs').create_queue(QueueName='\(name)', Attributes=\(attributes))")
    }

    static func deleteQueue(_ moto: ServerProcess, _ name: String) async throws {
        try await python(moto, resolve(name) + "sqs.delete_queue(QueueUrl=url)")
    }

    /// Sends each of `bodies` to `queue`.
    static func send(_ moto: ServerProcess, _ queue: String, _ bodies: String...) async throws {
        try await python(
            moto, resolve(queue) + "for body in \(try list(bodies)): sqs.send_message(QueueUrl=url, MessageBody=body)")
    }

    /// Visible plus in-flight messages.
    static func count(_ moto: ServerProcess, _ queue: String) async throws -> Int {
        try await onDedicatedThread { try moto.sqsCount(queue) }
    }

    /// Receives and deletes every visible message; their bodies in the order received.
    static func drain(_ moto: ServerProcess, _ queue: String) async throws -> [String] {
        try await onDedicatedThread { try moto.sqsDrain(queue) }
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
        var driver: SQSDriver?
        var nextID: UInt64 = 1
    }

    private let state = Mutex(State())
    private let decide: @Sendable (_ body: String, _ attempt: Int) -> Acknowledgement.Kind?

    init(decide: @escaping @Sendable (String, Int) -> Acknowledgement.Kind? = { _, _ in .ack }) {
        self.decide = decide
    }

    func bind(_ driver: SQSDriver) { state.withLock { $0.driver = driver } }

    var events: [Event] { state.withLock { $0.events } }
    var bodies: [String] { events.map(\.body) }
    var heldCount: Int { state.withLock { $0.held.count } }

    @Sendable func emit(_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome {
        let body = String(decoding: data, as: UTF8.self)
        let (id, kind, driver) = state.withLock { state -> (UInt64, Acknowledgement.Kind?, SQSDriver?) in
            let id = state.nextID
            state.nextID += 1
            state.events.append(Event(id: id, body: body, metadata: metadata))
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
