import DriverTesting
import Testing

@testable import CronDriver

/// metadata.yaml, example.yaml and README.md stay equal to the descriptor.
@Suite struct DocumentationTests {
    private let folder = String(
        #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(2)
            .joined(separator: "/"))

    private func text(_ name: String) throws -> String {
        String(decoding: try #require(ZoneLoader.readFile(folder + "/" + name)), as: UTF8.self)
    }

    @Test func exampleScheduleIsValid() throws {
        _ = try CronParser.parse("CRON_TZ=Europe/Paris 0 30 2 * * *")
    }

    /// Dapr's cron runs each tick in a goroutine of its own that waits for the app (no
    /// SkipIfStillRunning in its job chain): ticks overlap, and the README must say so.
    @Test func readmeSaysTicksOverlapAsInDapr() throws {
        let readme = try text("README.md")
        #expect(readme.contains("Ticks overlap, as in Dapr"))
        #expect(!readme.contains("If the previous event is still waiting for the app"))
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-cron"),
            overrides: ["schedule": "@every 50ms"], inputTrigger: {}
        ).run()
    }
}
