import DriverKit
import DriverTesting
import Foundation
import Synchronization

@testable import InfluxDriver

/// Log lines a driver wrote, for the tests that check no secret reaches them.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// Metadata for the target's organisation and first bucket (plain HTTP); `extra` over it.
func metadata(for target: ServerProcess, _ extra: [String: String] = [:]) -> [String: String] {
    [
        "url": target.targetURL, "token": ServerProcess.influxToken, "org": ServerProcess.influxOrg,
        "bucket": ServerProcess.influxBuckets[0],
    ].merging(extra) { $1 }
}

/// An instance for `metadata` whose log lines go to `log`.
func makeDriver(_ metadata: [String: String], log: LogLines = LogLines()) throws -> InfluxDriver {
    try InfluxDriver.make(metadata, component: "influx", log: { level, line in log.append("\(level) \(line)") })
}

extension InfluxDriver {
    /// `create` with `data` (JSON text, as the HTTP API hands it over).
    func write(_ data: String) async throws {
        _ = try await invoke(InvokeRequest(operation: "create", data: Array(data.utf8)))
    }

    /// `query` of `flux`; the CSV text and the response metadata.
    func query(_ flux: String) async throws -> (text: String, metadata: [String: String]) {
        let response = try await invoke(InvokeRequest(operation: "query", metadata: ["raw": flux]))
        return (String(decoding: response?.data ?? [], as: UTF8.self), response?.metadata ?? [:])
    }
}
