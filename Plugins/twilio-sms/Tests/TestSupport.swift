import DriverKit
import DriverTesting
import Foundation
import Synchronization

@testable import TwilioSMSDriver

/// Log lines a driver wrote, for the tests that check no secret reaches them.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// Metadata for the target's Twilio account over TLS (its certificate trusted through caCert
/// as PEM text); `extra` is added over it.
func metadata(for target: ServerProcess, _ extra: [String: String] = [:]) throws -> [String: String] {
    [
        "accountSid": ServerProcess.twilioAccountSid, "authToken": ServerProcess.twilioAuthToken,
        "fromNumber": "+15005550006", "toNumber": "+15551234567", "endpoint": target.targetURL,
        "caCert": try String(contentsOfFile: target.certificatePath, encoding: .utf8),
    ].merging(extra) { $1 }
}

/// An instance for `metadata` whose log lines go to `log`.
func makeDriver(_ metadata: [String: String], log: LogLines = LogLines()) throws -> TwilioSMSDriver {
    try TwilioSMSDriver.make(metadata, component: "sms", log: { level, line in log.append("\(level) \(line)") })
}

extension TwilioSMSDriver {
    /// `create` with `data` (as the HTTP API hands it over: JSON text) and request metadata.
    func send(_ data: String = "\"Hello\"", _ metadata: [String: String] = [:]) async throws {
        _ = try await invoke(InvokeRequest(operation: "create", data: Array(data.utf8), metadata: metadata))
    }
}
