import DriverKit
import Foundation

@testable import RedisDriver

/// A driver for `metadata`, created (as the host would) and started.
func startedDriver(_ metadata: [String: String]) async throws -> RedisDriver {
    let driver = try makeDriver(metadata)
    try await driver.start()
    return driver
}

/// Runs `body` with a started driver for `metadata`, then stops it, also when `body` throws.
func withDriver<T>(_ metadata: [String: String], _ body: (RedisDriver) async throws -> T) async throws -> T {
    let driver = try await startedDriver(metadata)
    do {
        let result = try await body(driver)
        await driver.stop()
        return result
    } catch {
        await driver.stop()
        throw error
    }
}

/// A driver for `metadata`, created but not started.
func makeDriver(_ metadata: [String: String]) throws -> RedisDriver {
    try RedisDriver(
        configuration: DriverConfiguration(
            componentName: "cache", type: "bindings.redis", directions: [.output], metadata: metadata),
        log: nil)
}

/// The DriverError `body` throws, or nil when it throws nothing (or something else).
func driverError(_ body: () async throws -> Void) async -> DriverError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? DriverError
    }
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

/// Seconds since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass; returns whether it held.
func eventually(within timeout: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let start = ContinuousClock.now
    while seconds(since: start) < timeout {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
