/// Percent-encoding for the JSON API's paths and queries and for V4 signed URLs.
enum URLEscaping {
    /// One path segment: everything but RFC 3986's unreserved characters escaped, `/` included
    /// (Go's client sends object names through `url.PathEscape`-like escaping, so `a/b` stays one
    /// name).
    static func segment(_ text: String) -> String { escape(text) { isUnreserved($0) } }

    /// A query name or value: unreserved characters kept, the rest escaped (space as `%20`).
    static func query(_ text: String) -> String { escape(text) { isUnreserved($0) } }

    /// An object name in a V4 signed URL's path: `/` kept, the rest as `segment`
    /// (Google's canonical URI rules for signing).
    static func signedPath(_ text: String) -> String { escape(text) { isUnreserved($0) || $0 == 0x2F } }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }

    static func escape(_ text: String, keeping keep: (UInt8) -> Bool) -> String {
        let hex: [Character] = Array("0123456789ABCDEF")
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if keep(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
