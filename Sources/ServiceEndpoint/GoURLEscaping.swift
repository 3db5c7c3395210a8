/// Go's `net/url` escaping, for requests that must match what Dapr's Go clients send byte for byte.
public enum GoURLEscaping {
    /// `url.QueryEscape`: letters, digits and `-_.~` kept, space as `+`, the rest `%XX`.
    public static func query(_ text: String) -> String { escaped(text, spaceAsPlus: true) }

    /// One path segment with everything but unreserved characters percent-encoded.
    public static func pathSegment(_ text: String) -> String { escaped(text, spaceAsPlus: false) }

    /// `pairs` as `url.Values.Encode`: sorted by key, each escaped by `QueryEscape`.
    public static func form(_ pairs: [(String, String)]) -> String {
        pairs.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { query($0.0) + "=" + query($0.1) }.joined(separator: "&")
    }

    private static func escaped(_ text: String, spaceAsPlus: Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                bytes.append(byte)
            case UInt8(ascii: " ") where spaceAsPlus: bytes.append(UInt8(ascii: "+"))
            default: bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
