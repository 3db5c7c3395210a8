import DriverKit
import DriverTesting

@testable import HTTPDriver

/// A driver for `metadata`, created as the host would (an output instance), not started.
func makeDriver(_ metadata: [String: String]) throws -> HTTPDriver {
    try HTTPDriver(
        configuration: DriverConfiguration(
            componentName: "web", type: "bindings.http", directions: [.output], metadata: metadata),
        log: nil)
}

/// Runs `body` with a started driver for `metadata`, then stops it, also when `body` throws.
func withDriver<T>(_ metadata: [String: String], _ body: (HTTPDriver) async throws -> T) async throws -> T {
    try await makeDriver(metadata).whileStarted(body)
}
