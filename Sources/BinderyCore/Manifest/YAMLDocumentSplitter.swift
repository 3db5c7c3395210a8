/// Cuts a file into documents at `---` and `...` lines, as Dapr's loader does before parsing,
/// so that one broken document does not hide the others.
///
/// A document marker can only be at column 0, where no scalar of an enclosing node may continue,
/// so cutting on lines first is exact. The `---` itself is blanked out so columns stay true.
/// A control character Go's YAML reader refuses fails the document it is in.
package enum YAMLDocumentSplitter {
    package struct Chunk {
        var firstLine: Int
        var scalars: [Unicode.Scalar]
        package var error: ManifestError?
    }

    package static func split(_ scalars: [Unicode.Scalar], limit: Int) throws(ManifestError) -> [Chunk] {
        var chunks: [Chunk] = []
        var current: Chunk? = nil
        var skipping = false  // after `...` or a refused line: nothing but comments until `---`
        var line = 1
        var start = 0
        while start < scalars.count {
            var end = start
            var forbidden: Int? = nil
            while end < scalars.count, scalars[end] != "\n" {
                if forbidden == nil, !isAllowed(scalars[end]) { forbidden = end }
                end += 1
            }
            let next = end < scalars.count ? end + 1 : end
            let text = scalars[start..<end]
            if isMarker(text, "-") {
                if let current { chunks.append(current) }
                guard chunks.count < limit else {
                    throw ManifestError(.limit, "more than \(limit) documents in one file", line: line, column: 1)
                }
                current = Chunk(firstLine: line, scalars: [" ", " ", " "] + Array(scalars[(start + 3)..<next]))
                skipping = false
            } else if isMarker(text, ".") {
                if let open = current { chunks.append(open) }
                current = nil
                skipping = true
                if let problem = nonComment(Array(scalars[(start + 3)..<end]), line: line, column: 4) {
                    chunks.append(Chunk(firstLine: line, scalars: [], error: problem))
                }
            } else if skipping || (current == nil && text.first == "%") {
                if !skipping, let problem = nonComment(Array(text), line: line, column: 1) {
                    chunks.append(Chunk(firstLine: line, scalars: [], error: problem))
                    skipping = true
                } else if let problem = nonComment(Array(text), line: line, column: 1), chunks.last?.error == nil {
                    chunks.append(Chunk(firstLine: line, scalars: [], error: problem))
                }
            } else {
                if current == nil { current = Chunk(firstLine: line, scalars: []) }
                current?.scalars.append(contentsOf: scalars[start..<next])
            }
            if let forbidden {
                let problem = controlCharacter(scalars[forbidden], line: line, column: forbidden - start + 1)
                if current != nil {
                    if current?.error == nil { current?.error = problem }
                } else if chunks.last?.error == nil {
                    chunks.append(Chunk(firstLine: line, scalars: [], error: problem))
                }
            }
            start = next
            line += 1
        }
        if let current { chunks.append(current) }
        return chunks
    }

    /// Whether Go's YAML reader (yaml.v3 and the v2 fork under sigs.k8s.io/yaml, which daprd
    /// uses) accepts `c` anywhere in a stream: tab, line breaks and the printable ranges of the
    /// YAML 1.1 character set. NUL, the other C0 controls, DEL, C1 but NEL, U+FFFE and U+FFFF
    /// are refused there ("control characters are not allowed"), so they are refused here.
    static func isAllowed(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v >= 0x20, v <= 0x7E { return true }  // the common case, without range patterns
        switch v {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    private static func controlCharacter(_ c: Unicode.Scalar, line: Int, column: Int) -> ManifestError {
        var hex = String(c.value, radix: 16, uppercase: true)
        hex = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return ManifestError(
            .controlCharacter,
            "control character U+\(hex) is not allowed in a YAML file (Go's YAML reader refuses it too); in a double-quoted string, write it as an escape such as \\u\(hex)",
            line: line, column: column)
    }

    /// `---` or `...` at the start of a line, followed by white space or the end of the line.
    private static func isMarker(_ line: ArraySlice<Unicode.Scalar>, _ mark: Unicode.Scalar) -> Bool {
        guard line.count >= 3 else { return false }
        let i = line.startIndex
        guard line[i] == mark, line[i + 1] == mark, line[i + 2] == mark else { return false }
        return line.count == 3 || line[i + 3] == " " || line[i + 3] == "\t"
    }

    /// An error when `text` holds anything but white space and a comment.
    private static func nonComment(_ text: [Unicode.Scalar], line: Int, column: Int) -> ManifestError? {
        guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return nil }
        if text[first] == "#" { return nil }
        if text[first] == "%" {
            return ManifestError(.unsupported, "directives (%) are not supported", line: line, column: column + first)
        }
        return ManifestError(
            .syntax, "unexpected content after the document end marker `...`", line: line, column: column + first)
    }
}
