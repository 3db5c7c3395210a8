/// Go's `strconv.Unquote`, which Dapr's smtp and localstorage bindings apply to the request data:
/// the bytes of the Go string literal `text`, or nil when `text` is not one (Dapr then uses the
/// data as it is).
///
/// Over Dapr's HTTP API a JSON string arrives with its quotes (`"<b>hi</b>"`), and JSON's escapes
/// are Go's, except `\/`, which makes the literal invalid (the data then goes out quoted, as in
/// Dapr). Forms: `"…"` with the escapes `\a \b \f \n \r \t \v \\ \"`, `\xHH`, `\OOO`, `\uHHHH`,
/// `\UHHHHHHHH`; `` `…` `` raw (carriage returns dropped); `'c'`, one character. A raw newline,
/// the other quote escaped, or a surrogate code point make it invalid, as in Go. Invalid UTF-8
/// inside comes out as U+FFFD, as Go decodes it.
public enum GoUnquote {
    private static let backquote = UInt8(ascii: "`")
    private static let doubleQuote = UInt8(ascii: "\"")
    private static let singleQuote = UInt8(ascii: "'")

    public static func bytes(_ text: [UInt8]) -> [UInt8]? {
        guard text.count >= 2, let quote = text.first, text.last == quote else { return nil }
        let body = text[1..<(text.count - 1)]
        if quote == backquote {
            guard !body.contains(backquote) else { return nil }
            return body.filter { $0 != UInt8(ascii: "\r") }
        }
        guard quote == doubleQuote || quote == singleQuote, !body.contains(UInt8(ascii: "\n")) else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var characters = 0
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            if byte == quote { return nil }
            characters += 1
            if byte == UInt8(ascii: "\\") {
                guard let (decoded, length) = escape(body[(index + 1)...], quote: quote) else { return nil }
                output += decoded
                index += 1 + length
            } else {
                let length = scalarLength(body[index...])
                // One invalid byte stands for U+FFFD, as Go's utf8.DecodeRune reads it.
                output += length > 0 ? Array(body[index..<(index + length)]) : [0xEF, 0xBF, 0xBD]
                index += max(length, 1)
            }
        }
        if quote == singleQuote, characters != 1 { return nil }
        return output
    }

    /// One escape after its backslash: the bytes it stands for and how many bytes it used.
    private static func escape(_ rest: ArraySlice<UInt8>, quote: UInt8) -> ([UInt8], Int)? {
        guard let letter = rest.first else { return nil }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10,
            UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9, UInt8(ascii: "v"): 11, UInt8(ascii: "\\"): 92,
        ]
        if let byte = simple[letter] { return ([byte], 1) }
        switch letter {
        case quote:
            return ([quote], 1)
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

    private static func number(_ digits: ArraySlice<UInt8>, radix: Int, digits count: Int) -> UInt32? {
        guard digits.count == count else { return nil }
        return UInt32(String(decoding: digits, as: UTF8.self), radix: radix)
    }

    /// The length of the valid UTF-8 sequence at the start of `bytes`, or 0 when it is not one.
    public static func scalarLength(_ bytes: ArraySlice<UInt8>) -> Int {
        guard let first = bytes.first else { return 0 }
        let length: Int
        switch first {
        case 0..<0x80: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard bytes.count >= length else { return 0 }
        let candidate = Array(bytes.prefix(length))
        var decoder = UTF8()
        var iterator = candidate.makeIterator()
        guard case .scalarValue = decoder.decode(&iterator), iterator.next() == nil else { return 0 }
        return length
    }
}
