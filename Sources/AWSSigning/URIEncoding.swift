/// AWS's URI encoding for SigV4: every byte but the unreserved characters (RFC 3986: A-Z a-z 0-9
/// `-` `.` `_` `~`) becomes `%XY` with uppercase hex; a space is `%20`, never `+`.
public enum URIEncoding {
    /// `text` URI-encoded as AWS's canonical forms expect; `/` is kept when `keepingSlash` (paths).
    public static func encode(_ text: String, keepingSlash: Bool = false) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), Hex.digit(byte >> 4), Hex.digit(byte & 0x0f)]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` with each valid `%XY` replaced by its byte; anything else (a lone `%`, `+`) is kept as is,
    /// since SigV4 signs what the server decodes and AWS does not read `+` as a space.
    public static func decode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = Hex.value(bytes[index + 1]), let low = Hex.value(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
