import DriverKit
import DriverTesting
import Testing

@testable import PostgreSQLDriver

/// The example component works against a real server, and the built driver passes the
/// conformance suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreatesADriverThatServesARealServer() async throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.postgresql")
        let (server, database) = try await sharedDatabase("example")
        let connection = server.postgreSQLConnectionString(database: database)
        let metadata = Dictionary(uniqueKeysWithValues: example.values(overriding: ["connectionString": connection]))
        try await withDriver(metadata) { driver async throws in
            #expect(try await driver.rows("SELECT 1 + 1") == "[[2]]")
        }
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let (server, database) = try await sharedDatabase("conformance")
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-postgresql"),
            overrides: ["connectionString": server.postgreSQLConnectionString(database: database)],
            requests: [
                "exec": .init(metadata: ["sql": "CREATE TABLE conformance (v int)"]),
                "query": .init(metadata: ["sql": "SELECT count(*) FROM conformance"]),
            ]
        ).run()
        #expect(try server.psql("SELECT count(*) FROM conformance", database: database) == "0")
    }
}
