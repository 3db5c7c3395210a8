import DriverKit
import Foundation
import Testing

@testable import RedisDriver

/// The example component works; that metadata.yaml and README.md agree with the driver is
/// checked for every driver by Tests/HostTests/Conformance/DriverConformanceTests.
@Suite struct DocumentationTests {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path

    @Test func exampleComponentCreatesADriverThatServesARealServer() async throws {
        let example = try String(contentsOfFile: folder + "/example.yaml", encoding: .utf8)
        #expect(example.contains("type: bindings.redis"))
        #expect(!example.contains("secretKeyRef"))
        var metadata: [String: String] = [:]
        var name: String?
        for line in example.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("- name: ") { name = String(line.dropFirst(8)) }
            if line.hasPrefix("value: "), let key = name { metadata[key] = line.dropFirst(7).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        #expect(metadata["redisHost"] != nil)
        let server = try RedisServer()
        metadata["redisHost"] = server.address
        try await withDriver(metadata) { driver async throws in
            _ = try await driver.call("create", "doc", data: "1")
            #expect(try await driver.call("get", "doc")?.data == Array("1".utf8))
        }
    }
}
