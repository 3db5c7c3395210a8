import DriverTesting
import Testing

/// The YAML reader accepts what driver folders write and refuses what it cannot read.
@Suite struct YAMLSubsetTests {
    @Test func componentWithListsAtBothIndentationsIsRead() throws {
        let text = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: orders   # a trailing comment
            spec:
              type: bindings.http
              version: v1
              metadata:
              - name: url
                value: "https://example.com/a#b"
              - name: token
                secretKeyRef:
                  name: vault
                  key: token
              - name: 'quote'
                value: 'it''s'
            """
        let example = try ComponentExample(text)
        #expect(example.name == "orders")
        #expect(example.type == "bindings.http")
        #expect(
            example.metadata == [
                .init(name: "url", value: "https://example.com/a#b"), .init(name: "token", value: nil),
                .init(name: "quote", value: "it's"),
            ])
    }

    @Test func flowSequencesAndEscapesAreRead() throws {
        let root = try YAMLSubset.parse(
            "directions: [input, \"out, put\"]\nempty: []\ntext: \"a\\\"b\\n\"\n", file: "m.yaml")
        #expect(root["directions"]?.items?.compactMap(\.text) == ["input", "out, put"])
        #expect(root["empty"]?.items?.isEmpty == true)
        #expect(root["text"]?.text == "a\"b\n")
    }

    @Test(arguments: ["key: |\n  text\n", "key: {a: 1}\n", "key: &anchor x\n", "key: \"open\n"])
    func unsupportedConstructsAreRefusedWithTheirLine(_ text: String) {
        #expect(throws: TestFailure.self) { try YAMLSubset.parse(text, file: "x.yaml") }
        #expect { try YAMLSubset.parse(text, file: "x.yaml") } throws: { "\($0)".hasPrefix("x.yaml:1: ") }
    }

    @Test func overridesReplaceKeysCaseInsensitivelyAndAddNewOnes() throws {
        let example = try ComponentExample(
            """
            kind: Component
            metadata:
              name: c
            spec:
              type: bindings.x
              version: v1
              metadata:
                - name: redisHost
                  value: "localhost:6379"
                - name: password
                  envRef: PASSWORD
            """)
        let values = example.values(overriding: ["REDISHOST": "127.0.0.1:1", "extra": "1"])
        #expect(values.map(\.name) == ["redisHost", "extra"])
        #expect(values.map(\.value) == ["127.0.0.1:1", "1"])
    }
}
