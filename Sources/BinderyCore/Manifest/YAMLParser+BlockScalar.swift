/// Literal (`|`) and folded (`>`) block scalars with chomping and indentation indicators,
/// following libyaml (which Go's YAML decoder ports) where the specification leaves room.
extension YAMLParser {
    private enum Chomping { case strip, clip, keep }

    mutating func parseBlockScalar(parentIndent: Int) throws(ManifestError) -> YAMLNode {
        let open = i
        let (line, col) = position(i)
        let literal = s[i] == "|"
        i += 1
        var chomping = Chomping.clip
        var explicit: Int? = nil
        for _ in 0..<2 where i < s.count {
            let c = s[i]
            if c == "+" || c == "-", chomping == .clip {
                chomping = c == "+" ? .keep : .strip
            } else if ("1"..."9").contains(c), explicit == nil {
                explicit = Int(c.value - 48)
            } else if c == "0" {
                throw fail(.syntax, "a block scalar's indentation indicator must be 1 to 9")
            } else {
                break
            }
            i += 1
        }
        try endBlockScalarHeader()
        let indent: Int
        if let explicit {
            indent = parentIndent >= 0 ? parentIndent + explicit : explicit
        } else {
            indent = try detectedIndent(parentIndent: parentIndent)
        }
        let (text, lastBreak, trailingBreaks) = try blockScalarContent(indent: indent, literal: literal, start: open)
        var value = text
        switch chomping {
        case .strip: break
        case .clip: value += lastBreak
        case .keep: value += lastBreak + trailingBreaks
        }
        try checkScalarSize(value.utf8.count, start: open)
        return try node(.scalar(value, literal ? .literal : .folded), line: line, column: col)
    }

    /// After the indicators: only blanks and a comment, then the line break.
    private mutating func endBlockScalarHeader() throws(ManifestError) {
        let before = i
        skipInlineSpace()
        if i < s.count, s[i] == "#" {
            guard i > before else { throw fail(.syntax, "a comment must be separated from the value by a space") }
            while i < s.count, s[i] != "\n" { i += 1 }
        } else if i < s.count, s[i] != "\n" {
            throw fail(
                .syntax, "unexpected text after the block scalar indicator (the text goes on the next lines, indented)")
        }
        if i < s.count { i += 1 }
    }

    /// The indentation of the first non-empty line, at least one more than the parent's.
    private func detectedIndent(parentIndent: Int) throws(ManifestError) -> Int {
        var k = i
        var widestEmpty = 0
        while k < s.count {
            var spaces = 0
            while k < s.count, s[k] == " " {
                spaces += 1
                k += 1
            }
            guard k < s.count, s[k] == "\n" else {
                if k < s.count, spaces > parentIndent, spaces < widestEmpty {
                    throw fail(
                        .syntax,
                        "a leading empty line of this block scalar has more spaces (\(widestEmpty)) than its first line of text (\(spaces))",
                        at: k)
                }
                return max(widestEmpty, k < s.count ? spaces : 0, parentIndent + 1, 1)
            }
            widestEmpty = max(widestEmpty, spaces)
            k += 1
        }
        return max(widestEmpty, parentIndent + 1, 1)
    }

    /// Reads lines indented at least `indent`; returns the folded text, the break after the last
    /// text line and the breaks of the empty lines after it (what chomping keeps or drops).
    /// `start` is the indicator's index, for the size limit's message.
    private mutating func blockScalarContent(indent: Int, literal: Bool, start: Int) throws(ManifestError) -> (
        String, String, String
    ) {
        var out = ""
        var leadingBreak = ""
        var trailingBreaks = ""
        var leadingBlank = false
        while i < s.count {
            var j = i
            var spaces = 0
            while j < s.count, s[j] == " ", spaces < indent {
                spaces += 1
                j += 1
            }
            if j >= s.count {
                i = j
                break
            }
            if s[j] == "\n" {
                trailingBreaks += "\n"
                try checkScalarSize(out.utf8.count + trailingBreaks.utf8.count, start: start)
                i = j + 1
                continue
            }
            if spaces < indent { break }  // less indented: the scalar ends before this line
            var end = j
            while end < s.count, s[end] != "\n" { end += 1 }
            let blank = isBlank(s[j])
            if !literal, leadingBreak == "\n", !leadingBlank, !blank {
                if trailingBreaks.isEmpty { out += " " }
            } else {
                out += leadingBreak
            }
            out += trailingBreaks
            trailingBreaks = ""
            leadingBlank = blank
            out += text(j..<end)
            try checkScalarSize(out.utf8.count, start: start)
            leadingBreak = end < s.count ? "\n" : ""
            i = end < s.count ? end + 1 : end
        }
        return (out, leadingBreak, trailingBreaks)
    }
}
