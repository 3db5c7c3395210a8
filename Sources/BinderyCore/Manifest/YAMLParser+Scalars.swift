/// Plain, quoted and block scalars.
extension YAMLParser {
    /// Where a plain scalar that starts at `start` ends on its line, trailing blanks excluded.
    func plainLineEnd(from start: Int, inFlow: Bool) -> Int {
        var k = start
        while k < s.count {
            let c = s[k]
            if c == "\n" { break }
            if c == ":", isBlankOrEnd(k + 1) || (inFlow && isFlowIndicator(s[k + 1])) { break }
            if c == "#", k > start, isBlank(s[k - 1]) { break }
            if inFlow, isFlowIndicator(c) { break }
            k += 1
        }
        while k > start, isBlank(s[k - 1]) { k -= 1 }
        return k
    }

    /// A plain scalar, continued on following lines indented more than `parentIndent`
    /// (line breaks fold to a space, empty lines to newlines).
    mutating func parsePlain(parentIndent: Int, inFlow: Bool) throws(ManifestError) -> YAMLNode {
        let (line, col) = position(i)
        if s[i] == "-", isBlankOrEnd(i + 1) {
            throw fail(
                .syntax, inFlow ? "block sequence entries are not allowed inside flow collections" : "unexpected '-'")
        }
        let end = plainLineEnd(from: i, inFlow: inFlow)
        guard end > i else { throw fail(.syntax, "unexpected '\(s[i])'") }
        var text = String(String.UnicodeScalarView(s[i..<end]))
        i = end
        while let (breaks, start) = plainContinuation(parentIndent: parentIndent) {
            let lineEnd = plainLineEnd(from: start, inFlow: inFlow)
            guard lineEnd > start else { break }
            text += breaks == 1 ? " " : String(repeating: "\n", count: breaks - 1)
            text += String(String.UnicodeScalarView(s[start..<lineEnd]))
            i = lineEnd
        }
        return try node(.scalar(text, .plain), line: line, column: col)
    }

    /// The line breaks crossed and the start of the next line that continues a plain scalar.
    private func plainContinuation(parentIndent: Int) -> (Int, Int)? {
        var k = i
        while k < s.count, isBlank(s[k]) { k += 1 }
        guard k < s.count, s[k] == "\n" else { return nil }
        var breaks = 0
        while k < s.count, s[k] == "\n" {
            breaks += 1
            k += 1
            var spaces = 0
            while k < s.count, s[k] == " " {
                spaces += 1
                k += 1
            }
            guard spaces > parentIndent || parentIndent < 0 else {
                if k < s.count, s[k] != "\n", s[k] != "\t" { return nil }
                while k < s.count, isBlank(s[k]) { k += 1 }
                continue
            }
            while k < s.count, isBlank(s[k]) { k += 1 }
            if k < s.count, s[k] != "\n" { return s[k] == "#" ? nil : (breaks, k) }
        }
        return nil
    }

    /// A single- or double-quoted scalar; line breaks inside fold as in plain scalars.
    mutating func parseQuoted(inFlow: Bool) throws(ManifestError) -> YAMLNode {
        let open = i
        let (line, col) = position(i)
        let double = s[i] == "\""
        i += 1
        var out = String.UnicodeScalarView()
        var pending = String.UnicodeScalarView()  // blanks that are dropped if a line break follows
        while true {
            guard i < s.count else {
                throw fail(.syntax, "unterminated \(double ? "double" : "single")-quoted scalar", at: open)
            }
            let c = s[i]
            if !double, c == "'" {
                if i + 1 < s.count, s[i + 1] == "'" {
                    out += pending
                    pending = String.UnicodeScalarView()
                    out.append("'")
                    i += 2
                    continue
                }
                i += 1
                break
            }
            if double, c == "\"" {
                i += 1
                break
            }
            if double, c == "\\" {
                out += pending
                pending = String.UnicodeScalarView()
                try escape(into: &out)
                continue
            }
            if isBlank(c) {
                pending.append(c)
                i += 1
            } else if c == "\n" {
                pending = String.UnicodeScalarView()
                fold(into: &out, escaped: false)
            } else {
                out += pending
                pending = String.UnicodeScalarView()
                out.append(c)
                i += 1
            }
        }
        out += pending
        return try node(.scalar(String(out), double ? .doubleQuoted : .singleQuoted), line: line, column: col)
    }

    /// At a line break inside a quoted scalar: one break becomes a space (nothing when escaped),
    /// each following empty line a newline; the next line's indentation is dropped.
    private mutating func fold(into out: inout String.UnicodeScalarView, escaped: Bool) {
        var breaks = 0
        while i < s.count, s[i] == "\n" {
            breaks += 1
            i += 1
            while i < s.count, isBlank(s[i]) { i += 1 }
        }
        if breaks == 1 {
            if !escaped { out.append(" ") }
        } else {
            out += String(repeating: "\n", count: breaks - 1).unicodeScalars
        }
    }

    /// One escape sequence of a double-quoted scalar; `i` is at the backslash.
    private mutating func escape(into out: inout String.UnicodeScalarView) throws(ManifestError) {
        let backslash = i
        i += 1
        guard i < s.count else { throw fail(.syntax, "unterminated double-quoted scalar", at: backslash) }
        let e = s[i]
        i += 1
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "0": "\u{0}", "a": "\u{7}", "b": "\u{8}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{B}",
            "f": "\u{C}", "r": "\r", "e": "\u{1B}", " ": " ", "\"": "\"", "/": "/", "\\": "\\",
            "N": "\u{85}", "_": "\u{A0}", "L": "\u{2028}", "P": "\u{2029}",
        ]
        if let scalar = simple[e] {
            out.append(scalar)
            return
        }
        switch e {
        case "x": out.append(try hexEscape(digits: 2, start: backslash))
        case "u": out.append(try hexEscape(digits: 4, start: backslash))
        case "U": out.append(try hexEscape(digits: 8, start: backslash))
        case "\n":
            i -= 1
            fold(into: &out, escaped: true)
        default:
            throw fail(.syntax, "unknown escape sequence \\\(e) in a double-quoted scalar", at: backslash)
        }
    }

    private mutating func hexEscape(digits: Int, start: Int) throws(ManifestError) -> Unicode.Scalar {
        let kind = s[start + 1]
        guard i + digits <= s.count,
            let value = UInt32(String(String.UnicodeScalarView(s[i..<(i + digits)])), radix: 16),
            s[i..<(i + digits)].allSatisfy({ $0.properties.isASCIIHexDigit })
        else {
            throw fail(.syntax, "escape \\\(kind) needs \(digits) hexadecimal digits", at: start)
        }
        i += digits
        guard let scalar = Unicode.Scalar(value) else {
            throw fail(
                .syntax,
                "escape \\\(kind)\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value (surrogate or too large)",
                at: start)
        }
        return scalar
    }
}
