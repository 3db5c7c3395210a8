import DriverKit
import DriverTesting
import Testing

@testable import RedisDriver

/// The example component works against a real server, and the built driver passes the
/// conformance suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreatesADriverThatServesARealServer() async throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.redis")
        #expect(example.metadata.contains { $0.name == "redisHost" })
        let server = try await ServerProcess.redis()
        let metadata = Dictionary(uniqueKeysWithValues: example.values(overriding: ["redisHost": server.address]))
        try await withDriver(metadata) { driver async throws in
            _ = try await driver.call("create", "doc", data: "1")
            #expect(try await driver.call("get", "doc")?.data == Array("1".utf8))
        }
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let server = try await ServerProcess.redis()
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-redis"),
            overrides: ["redisHost": server.address],
            requests: ["create": .init(data: "1", metadata: ["key": "conformance"])]
        ).run()
        #expect(try server.redisCLI("GET", "conformance") == "1")
    }
}
