import DriverKit
import DriverTesting
import Foundation
import Synchronization

@testable import SendGridDriver

/// Log lines a driver wrote, for the tests that check no secret reaches them.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// Metadata that sends through the target over TLS (its certificate trusted through caCert as
/// PEM text) from, to and with a subject; `extra` is added over it.
func metadata(for target: ServerProcess, _ extra: [String: String] = [:]) throws -> [String: String] {
    [
        "apiKey": ServerProcess.sendGridAPIKey, "emailFrom": "shop@example.com", "emailTo": "ann@example.com",
        "subject": "Your order", "endpoint": target.targetURL,
        "caCert": try String(contentsOfFile: target.certificatePath, encoding: .utf8),
    ].merging(extra) { $1 }
}

/// An instance for `metadata` whose log lines go to `log`.
func makeDriver(_ metadata: [String: String], log: LogLines = LogLines()) throws -> SendGridDriver {
    try SendGridDriver.make(metadata, component: "mail", log: { level, line in log.append("\(level) \(line)") })
}

extension SendGridDriver {
    /// `create` with `data` (as the HTTP API hands it over: JSON text) and request metadata.
    func send(_ data: String = "\"<p>Hi</p>\"", _ metadata: [String: String] = [:]) async throws {
        _ = try await invoke(InvokeRequest(operation: "create", data: Array(data.utf8), metadata: metadata))
    }
}
