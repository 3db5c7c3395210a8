import DriverTesting
import Testing

/// The built driver passes the conformance suite every bindery driver passes: it loads through
/// the ABI, metadata.yaml and README.md agree with its descriptor, and instances made from
/// example.yaml init, serve each operation, emit input events and stop twice.
@Suite struct ConformanceTests {
    @Test func builtDriverPassesTheConformanceSuite() async throws {
        try await DriverConformance(
            folder: driverFolder(up: 3), library: BuildProducts.library("ExampleDriver"),
            overrides: ["intervalMs": "10"], inputTrigger: {}
        ).run()
    }
}
