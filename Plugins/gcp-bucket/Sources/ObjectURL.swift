/// The `objectURL` Dapr's create answers with: `https://storage.googleapis.com/BUCKET/NAME` passed
/// through Go's `url.Parse` and `String()`, so that names read as Go writes them: a `?` or `#`
/// in a name starts the query or fragment, escapes already valid stay, other bytes are escaped.
enum ObjectURL {
    struct Invalid: Error {
        var message: String
    }

    static func string(bucket: String, name: String) throws(Invalid) -> String {
        let text = "https://storage.googleapis.com/\(bucket)/\(name)"
        if text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw Invalid(message: "parse \"\(text)\": net/url: invalid control character in URL")
        }
        var rest = Substring(text.dropFirst("https://storage.googleapis.com".count))
        var fragment: Substring?
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let path = unescape(rest), fragment.map({ unescape($0) != nil }) ?? true else {
            throw Invalid(message: "parse \"\(text)\": invalid URL escape \"\(badEscape(text))\"")
        }
        var out = "https://storage.googleapis.com"
        out += isValidEncoded(rest) ? String(rest) : escape(path)
        if let query { out += "?" + query }
        if let fragment, let plain = unescape(fragment) {
            out += "#" + (isValidEncoded(fragment, extra: "?") ? String(fragment) : escape(plain, extra: "?"))
        }
        return out
    }

    /// True for a byte Go's `shouldEscape(c, encodePath)` keeps.
    private static func isPathSafe(_ byte: UInt8, extra: String = "") -> Bool {
        URLEscaping.isUnreserved(byte) || "$&+,/:;=@".utf8.contains(byte) || extra.utf8.contains(byte)
    }

    /// Go's `validEncoded`: only safe bytes, sub-delimiters and `%`.
    private static func isValidEncoded(_ text: Substring, extra: String = "") -> Bool {
        text.utf8.allSatisfy { isPathSafe($0, extra: extra) || "!$&'()*+,;=:@[]%".utf8.contains($0) }
    }

    private static func escape(_ bytes: [UInt8], extra: String = "") -> String {
        URLEscaping.escape(String(decoding: bytes, as: UTF8.self)) { isPathSafe($0, extra: extra) }
    }

    /// The bytes `text` stands for, or nil for a `%` not followed by two hex digits.
    private static func unescape(_ text: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == 0x25 else {
                out.append(byte)
                continue
            }
            guard bytes.count >= 2, let high = hexValue(bytes[bytes.startIndex]),
                let low = hexValue(bytes[bytes.startIndex + 1])
            else { return nil }
            out.append(high << 4 | low)
            bytes = bytes.dropFirst(2)
        }
        return out
    }

    private static func badEscape(_ text: String) -> String {
        let bytes = Array(text.utf8)
        for index in bytes.indices where bytes[index] == 0x25 {
            let end = min(index + 3, bytes.count)
            let candidate = bytes[index..<end]
            if candidate.count < 3 || hexValue(candidate[index + 1]) == nil || hexValue(candidate[index + 2]) == nil {
                return String(decoding: candidate, as: UTF8.self)
            }
        }
        return "%"
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x37
        case 0x61...0x66: byte - 0x57
        default: nil
        }
    }
}
