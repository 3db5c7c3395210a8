/// gomail's `messageWriter.writeHeader`: `Name: value, value` lines folded near 76 characters,
/// byte for byte, so headers read at the server as Dapr's do.
///
/// A value is folded at its last space before the limit (or the first one after it, when there
/// is none before); a value without a space is written whole, however long.
struct HeaderWriter {
    private(set) var output: [UInt8] = []

    /// RFC 5322 allows 78 characters a line and RFC 2047 76: gomail uses 76.
    private static let limit = 76
    private static let space = UInt8(ascii: " ")
    private static let newline = UInt8(ascii: "\n")

    /// Appends text written as is (gomail's `Mime-Version: 1.0` line).
    mutating func raw(_ text: String) { output += Array(text.utf8) }

    /// Appends header `name` with `values` joined by `, `.
    mutating func header(_ name: String, _ values: [[UInt8]]) {
        output += Array(name.utf8)
        guard !values.isEmpty else { return raw(":\r\n") }
        raw(": ")
        var left = HeaderWriter.limit - name.utf8.count - 2
        for (index, value) in values.enumerated() {
            if left < 1 {
                raw(index == 0 ? "\r\n " : ",\r\n ")
                left = HeaderWriter.limit - 1
            } else if index != 0 {
                raw(", ")
                left -= 2
            }
            var rest = value[...]
            while rest.count > left {
                rest = writeLine(rest, left)
                left = HeaderWriter.limit - 1
            }
            output += rest
            if let newline = rest.lastIndex(of: HeaderWriter.newline) {
                left = HeaderWriter.limit - 1 - (rest.endIndex - newline - 1)
            } else {
                left -= rest.count
            }
        }
        raw("\r\n")
    }

    /// Writes one folded line of `text` and returns the rest (gomail's `writeLine`).
    private mutating func writeLine(_ text: ArraySlice<UInt8>, _ left: Int) -> ArraySlice<UInt8> {
        let start = text.startIndex
        if let newline = text.firstIndex(of: HeaderWriter.newline), newline - start < left {
            output += text[...newline]
            return text[(newline + 1)...]
        }
        for offset in stride(from: left - 1, through: 0, by: -1) where text[start + offset] == HeaderWriter.space {
            output += text[..<(start + offset)]
            raw("\r\n ")
            return text[(start + offset + 1)...]
        }
        // No space before the limit: the first space or newline after it.
        var index = start + HeaderWriter.limit - 1
        while index < text.endIndex {
            if text[index] == HeaderWriter.space {
                output += text[..<index]
                raw("\r\n ")
                return text[(index + 1)...]
            }
            if text[index] == HeaderWriter.newline {
                output += text[...index]
                return text[(index + 1)...]
            }
            index += 1
        }
        output += text
        return text[text.endIndex...]
    }
}
