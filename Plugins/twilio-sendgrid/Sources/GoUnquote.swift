/// Go's `strconv.Unquote`, which Dapr's binding applies to the request data to get the mail
/// body: a double-quoted Go string literal (JSON strings mostly are: `\/` is not, so such data
/// stays as sent, quotes and all), a back-quoted raw string, or a single-quoted character.
/// nil where Go returns an error; the caller then uses the data as it is.
enum GoUnquote {
    static func unquote(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, let quote = bytes.first, bytes.last == quote else { return nil }
        let inner = bytes[1..<(bytes.count - 1)]
        switch quote {
        case UInt8(ascii: "`"):
            guard !inner.contains(UInt8(ascii: "`")) else { return nil }
            return String(decoding: inner.filter { $0 != 0x0D }, as: UTF8.self)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            guard !inner.contains(0x0A), let decoded = unescape(inner, quote: quote) else { return nil }
            if quote == UInt8(ascii: "'") {
                // Exactly one character.
                guard String(decoding: decoded, as: UTF8.self).unicodeScalars.count == 1 else { return nil }
            }
            return String(decoding: decoded, as: UTF8.self)
        default:
            return nil
        }
    }

    /// The bytes of `inner` with Go's escapes resolved; nil for a bad escape or a bare quote.
    private static func unescape(_ inner: ArraySlice<UInt8>, quote: UInt8) -> [UInt8]? {
        var output: [UInt8] = []
        var index = inner.startIndex
        func hex(_ count: Int) -> UInt32? {
            guard inner.endIndex - index >= count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<count {
                guard let digit = hexDigit(inner[index]) else { return nil }
                value = value << 4 | digit
                index += 1
            }
            return value
        }
        while index < inner.endIndex {
            let byte = inner[index]
            if byte == quote { return nil }
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < inner.endIndex else { return nil }
            let escape = inner[index]
            index += 1
            switch escape {
            case UInt8(ascii: "a"): output.append(0x07)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "v"): output.append(0x0B)
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
            case quote: output.append(quote)
            case UInt8(ascii: "x"):
                guard let value = hex(2) else { return nil }
                output.append(UInt8(value))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                guard let value = hex(escape == UInt8(ascii: "u") ? 4 : 8), let scalar = Unicode.Scalar(value)
                else { return nil }
                output += Array(String(Character(scalar)).utf8)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(escape - UInt8(ascii: "0"))
                for _ in 0..<2 {
                    guard index < inner.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(inner[index])
                    else { return nil }
                    value = value << 3 | UInt32(inner[index] - UInt8(ascii: "0"))
                    index += 1
                }
                guard value <= 255 else { return nil }
                output.append(UInt8(value))
            default:
                return nil
            }
        }
        return output
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
