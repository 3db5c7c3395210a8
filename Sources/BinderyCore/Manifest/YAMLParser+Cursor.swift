import BinderySystem

/// Moving through the document: positions, white space, comments and line ends.
extension YAMLParser {
    func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    func isBlankOrEnd(_ index: Int) -> Bool {
        index >= s.count || s[index] == " " || s[index] == "\t" || s[index] == "\n"
    }

    func isFlowIndicator(_ c: Unicode.Scalar) -> Bool {
        c == "," || c == "[" || c == "]" || c == "{" || c == "}"
    }

    /// 1-based line and column of `index` in the file.
    package func position(_ index: Int) -> (line: Int, column: Int) {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return (firstLine + low, index - lineStarts[low] + 1)
    }

    /// 0-based column of `index`.
    package func column(_ index: Int) -> Int { position(index).column - 1 }

    mutating func skipInlineSpace() {
        while i < s.count, isBlank(s[i]) { i += 1 }
    }

    /// Whether nothing but an optional comment is left on the current line.
    func atLineEnd() -> Bool {
        guard i < s.count else { return true }
        if s[i] == "\n" { return true }
        return s[i] == "#" && (i == 0 || isBlank(s[i - 1]) || s[i - 1] == "\n")
    }

    /// Skips white space, comments and line breaks up to the next token, refusing tabs in the
    /// indentation of a line that has content (YAML forbids them; they would make columns lie).
    mutating func skipBlank() throws(ManifestError) {
        var lineStart = i == 0 || s[i - 1] == "\n"
        var tab: Int? = nil
        while i < s.count {
            switch s[i] {
            case " ": i += 1
            case "\t":
                if lineStart, tab == nil { tab = i }
                i += 1
            case "#":
                while i < s.count, s[i] != "\n" { i += 1 }
            case "\n":
                i += 1
                lineStart = true
                tab = nil
            default:
                if let tab { throw fail(.syntax, "tab character used for indentation (use spaces)", at: tab) }
                return
            }
        }
    }

    /// After a scalar or flow collection in block context: only a comment may follow on its line.
    mutating func expectLineEnd(after node: YAMLNode) throws(ManifestError) {
        let before = i
        skipInlineSpace()
        guard i < s.count, s[i] != "\n" else { return }
        if s[i] == "#" {
            guard i > before else { throw fail(.syntax, "a comment must be separated from the value by a space") }
            return
        }
        if s[i] == ":", position(i).line != node.line {
            throw fail(
                .syntax,
                "unexpected ':': this line is indented more than the keys above, so it continues the value at line \(node.line), column \(node.column) (check the indentation)"
            )
        }
        if s[i] == ":" {
            throw fail(
                .syntax,
                "unexpected ':' after a value (a key must be a single-line scalar; quote values that contain \": \")")
        }
        throw fail(.syntax, "unexpected text after the value that starts at line \(node.line), column \(node.column)")
    }

    package func fail(_ code: ManifestError.Code, _ message: String, at index: Int? = nil) -> ManifestError {
        let (line, column) = position(index ?? i)
        return ManifestError(code, message, line: line, column: column)
    }

    package func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
