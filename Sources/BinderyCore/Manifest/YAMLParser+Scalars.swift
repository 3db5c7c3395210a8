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
        let open = i
        let (line, col) = position(i)
        if s[i] == "-", isBlankOrEnd(i + 1) {
            throw fail(
                .syntax, inFlow ? "block sequence entries are not allowed inside flow collections" : "unexpected '-'")
        }
        let end = plainLineEnd(from: i, inFlow: inFlow)
        guard end > i else { throw fail(.syntax, "unexpected '\(s[i])'") }
        var text = self.text(i..<end)
        i = end
        while let (breaks, start) = plainContinuation(parentIndent: parentIndent) {
            let lineEnd = plainLineEnd(from: start, inFlow: inFlow)
            guard lineEnd > start else { break }
            text += breaks == 1 ? " " : String(repeating: "\n", count: breaks - 1)
            text += self.text(start..<lineEnd)
            try checkScalarSize(text.utf8.count, start: open)
            i = lineEnd
        }
        try checkScalarSize(text.utf8.count, start: open)
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
    ///
    /// One pass into a UTF-8 buffer: appending to a `String.UnicodeScalarView` copied the whole
    /// value at each step (6 s for a 400 KB value, minutes for 3 MB).
    mutating func parseQuoted(inFlow: Bool) throws(ManifestError) -> YAMLNode {
        let open = i
        let (line, col) = position(i)
        let double = s[i] == "\""
        i += 1
        var out: [UInt8] = []
        var blanks = i  // the blanks from here to `i` are kept unless a line break follows
        while true {
            guard i < s.count else {
                throw fail(.syntax, "unterminated \(double ? "double" : "single")-quoted scalar", at: open)
            }
            let c = s[i]
            if double ? c == "\"" : c == "'", double || i + 1 >= s.count || s[i + 1] != "'" {
                break
            }
            if isBlank(c) {
                i += 1
                continue
            }
            if c == "\n" {
                fold(into: &out, escaped: false)
            } else {
                for k in blanks..<i { out.append(UInt8(truncatingIfNeeded: s[k].value)) }
                if double, c == "\\" {
                    try escape(into: &out)
                } else {
                    Self.appendUTF8(c, to: &out)
                    i += !double && c == "'" ? 2 : 1  // in a single-quoted scalar, '' is one quote
                }
            }
            blanks = i
            try checkScalarSize(out.count, start: open)
        }
        for k in blanks..<i { out.append(UInt8(truncatingIfNeeded: s[k].value)) }
        i += 1
        try checkScalarSize(out.count, start: open)
        let style: YAMLNode.Style = double ? .doubleQuoted : .singleQuoted
        return try node(.scalar(String(decoding: out, as: UTF8.self), style), line: line, column: col)
    }

    /// Moves past a quoted scalar without building its value, to look at what follows it.
    /// Errors in it (a bad escape, its size) are left to `parseQuoted`.
    mutating func skipQuoted() throws(ManifestError) {
        let open = i
        let quote = s[i]
        i += 1
        while i < s.count {
            if s[i] == quote, quote == "\"" || i + 1 >= s.count || s[i + 1] != "'" {
                i += 1
                return
            }
            i += quote == "'" && s[i] == "'" || quote == "\"" && s[i] == "\\" ? 2 : 1
        }
        throw fail(
            .syntax, "unterminated \(quote == "\"" ? "double" : "single")-quoted scalar", at: open)
    }

    /// At a line break inside a quoted scalar: one break becomes a space (nothing when escaped),
    /// each following empty line a newline; the next line's indentation is dropped.
    private mutating func fold(into out: inout [UInt8], escaped: Bool) {
        var breaks = 0
        while i < s.count, s[i] == "\n" {
            breaks += 1
            i += 1
            while i < s.count, isBlank(s[i]) { i += 1 }
        }
        if breaks == 1 {
            if !escaped { out.append(0x20) }
        } else {
            out.append(contentsOf: repeatElement(0x0A, count: breaks - 1))
        }
    }

    /// One escape sequence of a double-quoted scalar; `i` is at the backslash.
    private mutating func escape(into out: inout [UInt8]) throws(ManifestError) {
        let backslash = i
        i += 1
        guard i < s.count else { throw fail(.syntax, "unterminated double-quoted scalar", at: backslash) }
        let e = s[i]
        i += 1
        let scalar: Unicode.Scalar
        switch e {
        case "0": scalar = "\u{0}"
        case "a": scalar = "\u{7}"
        case "b": scalar = "\u{8}"
        case "t", "\t": scalar = "\t"
        case "n": scalar = "\n"
        case "v": scalar = "\u{B}"
        case "f": scalar = "\u{C}"
        case "r": scalar = "\r"
        case "e": scalar = "\u{1B}"
        case " ", "\"", "/", "\\": scalar = e
        case "N": scalar = "\u{85}"
        case "_": scalar = "\u{A0}"
        case "L": scalar = "\u{2028}"
        case "P": scalar = "\u{2029}"
        case "x": scalar = try hexEscape(digits: 2, start: backslash)
        case "u": scalar = try hexEscape(digits: 4, start: backslash)
        case "U": scalar = try hexEscape(digits: 8, start: backslash)
        case "\n":
            i -= 1
            fold(into: &out, escaped: true)
            return
        default:
            throw fail(.syntax, "unknown escape sequence \\\(e) in a double-quoted scalar", at: backslash)
        }
        Self.appendUTF8(scalar, to: &out)
    }

    private mutating func hexEscape(digits: Int, start: Int) throws(ManifestError) -> Unicode.Scalar {
        let kind = s[start + 1]
        var value: UInt32 = 0
        for k in i..<(i + digits) {
            guard k < s.count, let digit = Self.hexValue(s[k]) else {
                throw fail(.syntax, "escape \\\(kind) needs \(digits) hexadecimal digits", at: start)
            }
            value = value << 4 | digit
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

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x37
        case 0x61...0x66: return c.value - 0x57
        default: return nil
        }
    }

    // MARK: Text and its bound

    /// The text of `s[range]`, built in one pass.
    func text(_ range: Range<Int>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        for k in range { Self.appendUTF8(s[k], to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendUTF8(_ c: Unicode.Scalar, to bytes: inout [UInt8]) {
        let v = c.value
        switch v {
        case 0..<0x80:
            bytes.append(UInt8(v))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | v >> 6))
            bytes.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | v >> 12))
            bytes.append(UInt8(0x80 | v >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | v & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | v >> 18))
            bytes.append(UInt8(0x80 | v >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | v >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | v & 0x3F))
        }
    }

    /// Refuses a scalar whose text has grown past `limits.maxScalarBytes`; `start` is where it begins.
    func checkScalarSize(_ bytes: Int, start: Int) throws(ManifestError) {
        guard bytes > limits.maxScalarBytes else { return }
        throw fail(
            .limit,
            "this value is longer than \(limits.maxScalarBytes) bytes, the limit for one scalar (component values are certificates and settings, not data)",
            at: start)
    }
}
