import DriverTesting

@testable import HTTPDriver

/// An instance of component "web" for `metadata`, not started; `withDriver` starts one for a block.
func makeDriver(_ metadata: [String: String]) throws -> HTTPDriver {
    try HTTPDriver.make(metadata, component: "web")
}

func withDriver<T>(_ metadata: [String: String], _ body: (HTTPDriver) async throws -> T) async throws -> T {
    try await makeDriver(metadata).whileStarted(body)
}
