import Testing

@testable import LocalStorageDriver

/// metadata.yaml, example.yaml and README.md stay equal to the descriptor.
@Suite struct DocumentationTests {
    private let folder = String(#filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(2)
        .joined(separator: "/"))

    private func text(_ name: String) throws -> String {
        String(decoding: try #require(readFile(folder + "/" + name)), as: UTF8.self)
    }

    @Test func metadataYAMLMatchesTheDescriptor() throws {
        let descriptor = LocalStorageDriver.descriptor
        var expected = """
            type: \(descriptor.type)
            version: \(descriptor.componentVersion)
            directions: [output]
            operations: [\(descriptor.operations.joined(separator: ", "))]
            metadata:

            """
        for field in descriptor.fields {
            expected += """
                  - name: \(field.name)
                    required: \(field.isRequired)
                    sensitive: \(field.isSensitive)
                    default: "\(field.defaultValue ?? "")"
                    description: "\(field.description.replacing("\\", with: "\\\\").replacing("\"", with: "\\\""))"

                """
        }
        #expect(try text("metadata.yaml") == expected)
    }

    @Test func readmeShowsTheExampleVerbatim() throws {
        let example = try text("example.yaml")
        #expect(try text("README.md").contains("```yaml\n" + example + "```"))
        #expect(example.contains("type: bindings.localstorage"))
    }

    private func readFile(_ path: String) -> [UInt8]? {
        try? FileSystem.read(path)
    }
}
