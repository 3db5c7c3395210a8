import DriverKit
import DriverTesting
import Testing

@testable import HTTPDriver

/// The example component creates a driver, and the built driver passes the conformance suite
/// (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreatesADriver() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.http")
        _ = try makeDriver(Dictionary(uniqueKeysWithValues: example.values()))
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let server = try EchoServer.plain.get()
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-http"), overrides: ["url": server.base]
        ).run()
    }
}
