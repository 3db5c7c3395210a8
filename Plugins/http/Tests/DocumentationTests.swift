import DriverKit
import Foundation
import Testing

@testable import HTTPDriver

/// metadata.yaml, example.yaml and README.md stay equal to the code.
@Suite struct DocumentationTests {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path

    @Test func metadataYAMLEqualsTheDescriptor() throws {
        let descriptor = HTTPDriver.descriptor
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

    @Test func readmeShowsExampleVerbatimAndEveryField() throws {
        let readme = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        let example = try String(contentsOfFile: folder + "/example.yaml", encoding: .utf8)
        #expect(readme.contains("```yaml\n" + example + "```"))
        for field in HTTPDriver.descriptor.fields { #expect(readme.contains("| `\(field.name)` |")) }
        for operation in HTTPDriver.descriptor.operations { #expect(readme.contains("| `\(operation)` |")) }
    }

    @Test func exampleComponentCreatesADriver() throws {
        let example = try String(contentsOfFile: folder + "/example.yaml", encoding: .utf8)
        #expect(example.contains("type: bindings.http"))
        let url = try #require(example.split(separator: "\n").drop { !$0.contains("name: url") }.dropFirst().first)
        let value = url.split(separator: "\"").dropFirst().first.map(String.init) ?? ""
        _ = try makeDriver(["url": value, "responseTimeout": "30s", "maxResponseBodySize": "10Mi"])
    }
}
