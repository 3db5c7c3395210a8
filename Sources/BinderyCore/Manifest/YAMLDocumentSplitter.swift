/// Cuts a file into documents at `---` and `...` lines, as Dapr's loader does before parsing,
/// so that one broken document does not hide the others.
///
/// A document marker can only be at column 0, where no scalar of an enclosing node may continue,
/// so cutting on lines first is exact. The `---` itself is blanked out so columns stay true.
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
            while end < scalars.count, scalars[end] != "\n" { end += 1 }
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
            start = next
            line += 1
        }
        if let current { chunks.append(current) }
        return chunks
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
