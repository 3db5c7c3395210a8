import DriverKit
import DriverTesting
import Foundation

@testable import GCPBucketDriver

/// A bucket on the shared emulator that no other test uses.
func freshBucket(_ label: String) async throws -> (ServerProcess, String) {
    let server = try await ServerProcess.sharedGCS()
    let bucket = ServerProcess.uniqueName(label)
    try server.gcsCreateBucket(bucket)
    return (server, bucket)
}

/// An instance of component `component` for `metadata`, not started; `environment` stands for
/// the process's variables (none by default, so the machine's own cannot leak in).
func makeDriver(
    _ metadata: [String: String], component: String = "files", environment: [String: String] = [:],
    log: DriverHost? = nil
) throws -> BucketDriver {
    let configuration = DriverConfiguration(
        componentName: component, type: "bindings.gcp.bucket", directions: .output, metadata: metadata)
    return try BucketDriver(configuration: configuration, log: log, environment: environment)
}

/// Metadata that reaches `server`'s `bucket` through the `endpoint` extension; `extra` over it.
func metadata(_ server: ServerProcess, bucket: String, _ extra: [String: String] = [:]) -> [String: String] {
    ["bucket": bucket, "endpoint": server.endpointURL, "projectID": "test-project"].merging(extra) { $1 }
}

/// A started driver for `bucket` on `server`; the caller stops it.
func startedDriver(_ server: ServerProcess, bucket: String, _ extra: [String: String] = [:]) async throws
    -> BucketDriver
{
    let driver = try makeDriver(metadata(server, bucket: bucket, extra))
    try await driver.start()
    return driver
}

extension BucketDriver {
    /// Runs `operation` with `data` (text) and `metadata`.
    func call(_ operation: String, _ data: String = "", _ metadata: [String: String] = [:]) async throws
        -> InvokeResponse?
    {
        try await invoke(InvokeRequest(operation: operation, data: Array(data.utf8), metadata: metadata))
    }

    /// The message of the error `operation` fails with, or nil when it succeeds.
    func failure(_ operation: String, _ data: String = "", _ metadata: [String: String] = [:]) async -> String? {
        do {
            _ = try await call(operation, data, metadata)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

extension InvokeResponse {
    var text: String { String(decoding: data, as: UTF8.self) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(data), options: .fragmentsAllowed) }
}

/// Bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
