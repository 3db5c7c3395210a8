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

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-cron"),
            overrides: ["schedule": "@every 50ms"], inputTrigger: {}
        ).run()
    }
}
