import DriverKit
import Foundation

@testable import HTTPDriver

/// A driver for `metadata`, created (as the host would) and started.
func startedDriver(_ metadata: [String: String]) async throws -> HTTPDriver {
    let driver = try makeDriver(metadata)
    try await driver.start()
    return driver
}

/// Runs `body` with a started driver for `metadata`, then stops it, also when `body` throws.
func withDriver<T>(_ metadata: [String: String], _ body: (HTTPDriver) async throws -> T) async throws -> T {
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
func makeDriver(_ metadata: [String: String]) throws -> HTTPDriver {
    try HTTPDriver(
        configuration: DriverConfiguration(
            componentName: "web", type: "bindings.http", directions: [.output], metadata: metadata),
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

/// Seconds since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
