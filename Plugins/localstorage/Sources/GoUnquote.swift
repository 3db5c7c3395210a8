/// Go's `strconv.Unquote` for double-quoted strings: the bytes of the string literal `text`,
/// or nil when `text` is not one (then Dapr keeps the data as it is).
///
/// Escapes: `\a \b \f \n \r \t \v \\ \"`, `\xHH`, `\OOO` (octal), `\uHHHH`, `\UHHHHHHHH`. A raw
/// newline, an unescaped quote inside, `\'` or a surrogate code point make it invalid, as in Go.
/// Invalid UTF-8 inside comes out as U+FFFD, as Go's decoder does.
enum GoUnquote {
    static func bytes(_ text: [UInt8]) -> [UInt8]? {
        guard text.count >= 2, text.first == UInt8(ascii: "\""), text.last == UInt8(ascii: "\"") else { return nil }
        let body = text[1..<(text.count - 1)]
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var raw: [UInt8] = []
        var index = body.startIndex
        func flushRaw() {
            output += Array(String(decoding: raw, as: UTF8.self).utf8)
            raw.removeAll(keepingCapacity: true)
        }
        while index < body.endIndex {
            let byte = body[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") { return nil }
            guard byte == UInt8(ascii: "\\") else {
                raw.append(byte)
                index += 1
                continue
            }
            flushRaw()
            guard let (decoded, length) = escape(body[(index + 1)...]) else { return nil }
            output += decoded
            index += 1 + length
        }
        flushRaw()
        return output
    }

    /// One escape after its backslash: the bytes it stands for and how many bytes it used.
    private static func escape(_ rest: ArraySlice<UInt8>) -> ([UInt8], Int)? {
        guard let letter = rest.first else { return nil }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10,
            UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9, UInt8(ascii: "v"): 11, UInt8(ascii: "\\"): 92,
            UInt8(ascii: "\""): 34,
        ]
        if let byte = simple[letter] { return ([byte], 1) }
        switch letter {
        case UInt8(ascii: "x"):
            guard let value = number(rest.dropFirst().prefix(2), radix: 16, digits: 2) else { return nil }
            return ([UInt8(value)], 3)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = letter == UInt8(ascii: "u") ? 4 : 8
            guard let value = number(rest.dropFirst().prefix(digits), radix: 16, digits: digits),
                let scalar = Unicode.Scalar(value)
            else { return nil }
            return (Array(String(Character(scalar)).utf8), 1 + digits)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard let value = number(rest.prefix(3), radix: 8, digits: 3), value <= 255 else { return nil }
            return ([UInt8(value)], 3)
        default:
            return nil
        }
    }

    private static func number(_ digits: ArraySlice<UInt8>, radix: UInt32, digits count: Int) -> UInt32? {
        guard digits.count == count else { return nil }
        return UInt32(String(decoding: digits, as: UTF8.self), radix: Int(radix))
    }
}
