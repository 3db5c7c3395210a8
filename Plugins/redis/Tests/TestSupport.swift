import DriverKit
import DriverTesting

@testable import RedisDriver

/// An output instance of component "cache" for `metadata`, not started.
func makeDriver(_ metadata: [String: String]) throws -> RedisDriver {
    try RedisDriver.make(metadata, component: "cache")
}

/// Runs `body` with a started driver for `metadata`, then stops it, also when `body` throws.
func withDriver<T>(_ metadata: [String: String], _ body: (RedisDriver) async throws -> T) async throws -> T {
    try await makeDriver(metadata).whileStarted(body)
}

extension RedisDriver {
    /// Invokes `operation` on `key` with `data` and extra request metadata.
    func call(
        _ operation: String, _ key: String, data: String = "", _ metadata: [String: String] = [:]
    ) async throws -> InvokeResponse? {
        var all = metadata
        all["key"] = key
        return try await invoke(InvokeRequest(operation: operation, data: Array(data.utf8), metadata: all))
    }
}
