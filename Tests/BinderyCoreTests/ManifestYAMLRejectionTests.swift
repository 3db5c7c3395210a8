import Testing

@testable import BinderyCore
@testable import BinderySystem

/// Everything the reader refuses, with the exact message and position an operator sees.
@Suite struct ManifestYAMLRejectionTests {
    @Test func anchorsAreRejected() {
        #expect(yamlError("a: &x 1\n") == "t.yaml:1:4: anchors (&) are not supported; write the value out")
    }

    @Test func aliasesAreRejected() {
        #expect(yamlError("a: 1\nb: *x\n") == "t.yaml:2:4: aliases (*) are not supported; write the value out")
    }

    @Test func tagsAreRejected() {
        #expect(yamlError("a: !!str 1\n") == "t.yaml:1:4: tags (!) are not supported; remove the tag")
        #expect(yamlError("- [!foo x]\n") == "t.yaml:1:4: tags (!) are not supported; remove the tag")
    }

    @Test func complexKeysAreRejected() {
        #expect(yamlError("? a\n: b\n") == "t.yaml:1:1: complex mapping keys (?) are not supported")
    }

    @Test func duplicateKeysAreRejected() {
        #expect(yamlError("a: 1\nb: 2\na: 3\n") == "t.yaml:3:1: duplicate key \"a\" in this mapping (first at line 1)")
        #expect(yamlError("x: {a: 1, a: 2}\n") == "t.yaml:1:11: duplicate key \"a\" in this mapping (first at line 1)")
    }

    @Test func tabIndentationIsRejected() {
        #expect(yamlError("a:\n\tb: 1\n") == "t.yaml:2:1: tab character used for indentation (use spaces)")
    }

    @Test func directivesAreRejected() {
        #expect(yamlError("%YAML 1.2\n---\na: 1\n") == "t.yaml:1:1: directives (%) are not supported")
    }

    @Test func badIndentationIsRejected() {
        #expect(
            yamlError("a:\n  b: 1\n   c: 2\n")
                == "t.yaml:3:5: unexpected ':': this line is indented more than the keys above, so it continues the value at line 2, column 6 (check the indentation)"
        )
        #expect(
            yamlError("a:\n  b:\n    c: 1\n   d: 2\n")
                == "t.yaml:4:4: unexpected indentation (this mapping's keys start at column 3)")
    }

    @Test func mappingOnTheKeyLineIsRejected() {
        #expect(
            yamlError("a: b: c\n")
                == "t.yaml:1:4: a mapping cannot start on the same line as its key; put its keys on the next lines, indented"
        )
    }

    @Test func unterminatedQuotesAreRejected() {
        #expect(yamlError("a: \"abc\nb: 1\n") == "t.yaml:1:4: unterminated double-quoted scalar")
        #expect(yamlError("a: [x, y\n") == "t.yaml:1:4: unterminated flow sequence (no closing ']')")
    }

    @Test func badEscapesAreRejected() {
        #expect(yamlError(#"a: "\q""#) == "t.yaml:1:5: unknown escape sequence \\q in a double-quoted scalar")
        #expect(
            yamlError(#"a: "\uD800""#)
                == "t.yaml:1:5: escape \\uD800 is not a Unicode scalar value (surrogate or too large)")
        #expect(yamlError(#"a: "\x4""#) == "t.yaml:1:5: escape \\x needs 2 hexadecimal digits")
    }

    @Test func textAfterAQuotedValueIsRejected() {
        #expect(
            yamlError("a: \"x\" y\n") == "t.yaml:1:8: unexpected text after the value that starts at line 1, column 4")
    }

    @Test func invalidUTF8IsRejected() {
        let documents = YAMLReader.documents(in: [0x61, 0x3A, 0x20, 0xFF], file: "t.yaml")
        #expect(throws: ManifestError(.invalidEncoding, "file is not valid UTF-8", file: "t.yaml")) {
            try documents[0].result.get()
        }
    }

    @Test func nestingDeeperThanTheLimitIsRejected() {
        var limits = YAMLReader.Limits()
        limits.maxDepth = 8
        let deep = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        let documents = YAMLReader.documents(in: deep, file: "t.yaml", limits: limits)
        #expect(throws: ManifestError.self) { try documents[0].result.get() }
        let unbounded = String(repeating: "[", count: 100_000)
        #expect(yamlError(unbounded)?.contains("nesting is deeper than 64 levels") == true)
    }

    @Test func filesLargerThanTheLimitAreRejected() {
        var limits = YAMLReader.Limits()
        limits.maxBytes = 10
        let documents = YAMLReader.documents(in: Array("a: 0123456789".utf8), file: "t.yaml", limits: limits)
        #expect(throws: ManifestError(.tooLarge, "file is 13 bytes, more than the limit of 10", file: "t.yaml")) {
            try documents[0].result.get()
        }
    }
}
