import DriverKit
import Foundation
import Testing

@testable import MQTTDriver

/// metadata.yaml, example.yaml and README.md stay equal to the code.
@Suite struct DocumentationTests {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path

    @Test func metadataYAMLEqualsTheDescriptor() throws {
        let descriptor = MQTTDriver.descriptor
        let yaml = try String(contentsOfFile: folder + "/metadata.yaml", encoding: .utf8)
        var expected = [
            "type: \(descriptor.type)", "version: \(descriptor.componentVersion)", "directions: [input, output]",
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
        for field in MQTTDriver.descriptor.fields { #expect(readme.contains("| `\(field.name)` |")) }
        for operation in MQTTDriver.descriptor.operations { #expect(readme.contains("| `\(operation)` |")) }
    }

    @Test func exampleComponentCreatesBothDirections() throws {
        let example = try String(contentsOfFile: folder + "/example.yaml", encoding: .utf8)
        #expect(example.contains("type: bindings.mqtt3"))
        var metadata: [String: String] = [:]
        var name: String?
        for line in example.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("- name: ") { name = String(text.dropFirst(8)) }
            if text.hasPrefix("value: "), let key = name { metadata[key] = String(text.dropFirst(7)).trimmingCharacters(in: ["\""]) }
        }
        for direction: Directions in [.input, .output] {
            let driver = try MQTTDriver(configuration: DriverConfiguration(
                componentName: "telemetry", type: "bindings.mqtt3", directions: direction, metadata: metadata)) { _, _ in }
            #expect(driver.settings.url.port == 1883)
            #expect(driver.settings.backOffMaxRetries == 3)
        }
    }
}
