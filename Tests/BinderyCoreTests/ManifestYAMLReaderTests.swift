import Testing

@testable import BinderyCore
@testable import BinderySystem

@Suite struct ManifestYAMLReaderTests {
    @Test func blockMappingsAndSequencesNestAsIndented() throws {
        let root = try yamlRoot(
            """
            # a comment
            a: 1   # trailing comment
            b:
              c: x
              d:
                - one
                - two
            e: [p, 'q', "r"]
            f: {k: v, n: 2}
            """)
        #expect(render(root) == #"{a: "1", b: {c: "x", d: ["one", "two"]}, e: ["p", '"q", ""r"], f: {k: "v", n: "2"}}"#)
    }

    @Test func sequenceOfMappingsWrittenWithDashes() throws {
        let root = try yamlRoot(
            """
            metadata:
            - name: url
              value: http://localhost:8080/x#y
            - name: port
              value: 6379
              secretKeyRef:
                name: s
                key: k
            """)
        #expect(
            render(root)
                == #"{metadata: [{name: "url", value: "http://localhost:8080/x#y"}, {name: "port", value: "6379", secretKeyRef: {name: "s", key: "k"}}]}"#
        )
    }

    @Test func sequenceIndentedUnderItsKeyReadsTheSame() throws {
        let indented = try yamlRoot("s:\n  - a\n  - b\nt: 1\n")
        let kubernetes = try yamlRoot("s:\n- a\n- b\nt: 1\n")
        #expect(render(indented) == render(kubernetes))
        #expect(render(kubernetes) == #"{s: ["a", "b"], t: "1"}"#)
    }

    @Test func nodesCarryLineAndColumn() throws {
        let root = try yamlRoot("\n\nspec:\n  metadata:\n  - name: a\n    value: \"b\"\n")
        let item = try #require(root.field("spec")?.field("metadata")?.items?.first)
        #expect((item.line, item.column) == (5, 5))
        let value = try #require(item.field("value"))
        #expect((value.line, value.column) == (6, 12))
    }

    @Test func singleQuotedScalarsDoubleTheirQuotes() throws {
        #expect(scalar(try yamlRoot("a: 'it''s # not a comment'"), "a") == "it's # not a comment")
    }

    @Test func doubleQuotedEscapesAreDecoded() throws {
        let root = try yamlRoot(#"a: "tab\there\nnew \"q\" back\\slash \/ \u00e9 \x41 \U0001F600 \0end""#)
        #expect(scalar(root, "a") == "tab\there\nnew \"q\" back\\slash / é A 😀 \u{0}end")
    }

    @Test func quotedScalarsFoldLineBreaks() throws {
        let root = try yamlRoot("a: \"one\n  two\n\n  three \\\n  four\"\nb: 'x\n  y'\n")
        #expect(scalar(root, "a") == "one two\nthree four")
        #expect(scalar(root, "b") == "x y")
    }

    @Test func plainScalarsContinueOnMoreIndentedLines() throws {
        let root = try yamlRoot("a: one\n  two\n\n  three\nb: x\n")
        #expect(scalar(root, "a") == "one two\nthree")
        #expect(scalar(root, "b") == "x")
    }

    @Test func literalBlockScalarKeepsLinesAndChomps() throws {
        let root = try yamlRoot(
            "clip: |\n  line1\n    indented\n\nstrip: |-\n  text\n\nkeep: |+\n  text\n\n\nlast: x\n")
        #expect(scalar(root, "clip") == "line1\n  indented\n")
        #expect(scalar(root, "strip") == "text")
        #expect(scalar(root, "keep") == "text\n\n\n")
        #expect(scalar(root, "last") == "x")
    }

    @Test func foldedBlockScalarJoinsLines() throws {
        let root = try yamlRoot("a: >\n  one\n  two\n\n  three\n    more\n  four\nb: >-\n  x\n  y\n")
        #expect(scalar(root, "a") == "one two\nthree\n  more\nfour\n")
        #expect(scalar(root, "b") == "x y")
    }

    @Test func explicitIndentationIndicatorKeepsLeadingSpaces() throws {
        let root = try yamlRoot("a: |2\n    indented\n  base\n")
        #expect(scalar(root, "a") == "  indented\nbase\n")
        let seq = try yamlRoot("- |1-\n  two spaces\n")
        #expect(render(seq) == #"[|" two spaces"]"#)
    }

    @Test func blockScalarWithoutFinalNewlineHasNone() throws {
        #expect(scalar(try yamlRoot("a: |\n  text"), "a") == "text")
    }

    @Test func flowCollectionsSpanLinesAndNest() throws {
        let root = try yamlRoot("a: [1, {b: [x, y]},\n  \"z\", ]\nc: {\"k\":\"v\", empty: , bare}\nd: []\ne: {}\n")
        #expect(render(root) == #"{a: ["1", {b: ["x", "y"]}, ""z"], c: {k: ""v", empty: "", bare: ""}, d: [], e: {}}"#)
    }

    @Test func documentsAreSplitOnMarkers() throws {
        let documents = YAMLReader.documents(in: "a: 1\n---\nb: 2\n...\n# only a comment\n--- # c\nc: 3\n---\n")
        let roots = documents.compactMap { try? $0.result.get() }
        #expect(roots.map(render) == [#"{a: "1"}"#, #"{b: "2"}"#, #"{c: "3"}"#])
        #expect(documents.map(\.line) == [1, 2, 6, 8])
    }

    @Test func contentOnTheDocumentStartLineIsRead() throws {
        #expect(render(try yamlRoot("--- [a, b]\n")) == #"["a", "b"]"#)
        #expect(render(try yamlRoot("--- |\n  text\n")) == #"|"text\n""#)
    }

    @Test func aBrokenDocumentDoesNotHideTheOthers() throws {
        let documents = YAMLReader.documents(in: "a: [\n---\nb: 2\n", file: "f.yaml")
        #expect(documents.count == 2)
        #expect(throws: ManifestError.self) { try documents[0].result.get() }
        #expect(render(try #require(try documents[1].result.get())) == #"{b: "2"}"#)
    }

    @Test func crlfLineEndingsAndByteOrderMarkAreAccepted() throws {
        #expect(render(try yamlRoot("\u{FEFF}a: 1\r\nb:\r\n  - x\r\n")) == #"{a: "1", b: ["x"]}"#)
    }

    @Test func emptyValuesAreNull() throws {
        let root = try yamlRoot("a:\nb: ~\nc:\n- \n")
        #expect(YAMLScalar(try #require(root.field("a"))) == .null)
        #expect(YAMLScalar(try #require(root.field("b"))) == .null)
        #expect(root.field("c")?.items?.count == 1)
    }
}
