import DriverKit
import Foundation
import Testing

@testable import RedisDriver

/// metadata.yaml, example.yaml and README.md stay equal to the code.
@Suite struct DocumentationTests {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path

    @Test func metadataYAMLEqualsTheDescriptor() throws {
        let descriptor = RedisDriver.descriptor
        let yaml = try String(contentsOfFile: folder + "/metadata.yaml", encoding: .utf8)
        var expected = [
            "type: \(descriptor.type)", "version: \(descriptor.componentVersion)", "directions: [output]",
            "operations: [\(descriptor.operations.joined(separator: ", "))]", "metadata:",
        ]
        for field in descriptor.fields {
            expected += [
                "  - name: \(field.name)", "    required: \(field.isRequired)", "    sensitive: \(field.isSensitive)",
                "    default: \"\(field.defaultValue ?? "")\"", "    description: \"\(field.description)\"",
            ]
        }
        #expect(yaml.split(separator: "\n").map(String.init) == expected)
    }

    @Test func readmeShowsExampleVerbatimAndEveryFieldAndOperation() throws {
        let readme = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        let example = try String(contentsOfFile: folder + "/example.yaml", encoding: .utf8)
        #expect(readme.contains("```yaml\n" + example + "```"))
        for field in RedisDriver.descriptor.fields { #expect(readme.contains("| `\(field.name)` |")) }
        for operation in RedisDriver.descriptor.operations { #expect(readme.contains("| `\(operation)` |")) }
    }

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
