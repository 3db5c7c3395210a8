import Testing

@testable import BinderyCore
@testable import BinderySystem

/// Issue 9, item 4: characters Go's YAML reader refuses ("control characters are not allowed")
/// fail their document with file:line:column instead of being read into a value.
@Suite struct ManifestControlCharacterTests {
    /// A NUL inside `kind` made the document "not a Component": zero components, zero errors.
    @Test func nulInKindIsReportedWithItsPlace() throws {
        let broken = bindingYAML("broken").replacing("kind: Component", with: "kind: Comp\u{0}onent")
        let (set, dir) = try loadFolder(["c.yaml": broken + "---\n" + bindingYAML("good")])
        #expect(set.components.map(\.name) == ["good"])
        #expect(
            set.errors.map(\.description) == [
                "\(dir)/c.yaml:2:11: error: control character U+0000 is not allowed in a YAML file (Go's YAML reader refuses it too); in a double-quoted string, write it as an escape such as \\u0000"
            ])
    }

    /// C0 controls but tab and line breaks, DEL, C1 controls but NEL, U+FFFE and U+FFFF.
    @Test(
        arguments: [0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F, 0x80, 0x84, 0x86, 0x9F, 0xFFFE, 0xFFFF] as [UInt32])
    func charactersGoRefusesAreRejected(value: UInt32) throws {
        let c = try #require(Unicode.Scalar(value))
        for (text, column) in [("a: \"x\(c)\"", 6), ("a: x\(c)", 5), ("# \(c)\na: 1", 3)] {
            let error = yamlError(text)
            #expect(error?.hasPrefix("t.yaml:1:\(column): control character U+") == true, "\(error ?? "none")")
        }
    }

    @Test(arguments: [0x09, 0x20, 0x7E, 0x85, 0xA0, 0xD7FF, 0xE000, 0xFFFD, 0x10000, 0x1F600, 0x10FFFF] as [UInt32])
    func charactersGoAcceptsAreRead(value: UInt32) throws {
        let c = try #require(Unicode.Scalar(value))
        #expect(scalar(try yamlRoot("a: \"x\(c)y\""), "a") == "x\(c)y")
    }

    @Test func escapedControlCharactersAreStillValues() throws {
        #expect(scalar(try yamlRoot("a: \"\\0\\x7F\\u0085\""), "a") == "\u{0}\u{7F}\u{85}")
    }

    @Test func controlCharacterAfterTheDocumentEndIsRejected() throws {
        #expect(yamlError("a: 1\n... # \u{1}\n")?.hasPrefix("t.yaml:2:7: control character U+0001") == true)
        let documents = YAMLReader.documents(in: "a: 1\n...\n# \u{1}\n---\nb: 2\n", file: "t.yaml")
        try #require(documents.count == 3)
        #expect(throws: ManifestError.self) { try documents[1].result.get() }
        #expect(try documents[2].result.get()?.field("b")?.text == "2")
    }
}
