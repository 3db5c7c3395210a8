import DriverJSON

/// The message text and the form that carries it, as Dapr's binding makes them.
enum FormText {
    /// The SMS body Dapr's `commonutils.Unquote` makes of the request's data: a JSON string's
    /// text, a JSON number as Go's `FormatFloat(f, 'f', -1, 64)`, true or false, "" for null,
    /// and the data unchanged when it is an object, an array or not JSON.
    static func messageBody(_ data: [UInt8]) -> String {
        let raw = String(decoding: data, as: UTF8.self)
        guard let value = try? JSONValue.parse(bytes: data) else { return raw }
        switch value {
        case .string(let text): return text
        case .number(let literal):
            // Go cannot decode a number beyond float64 (1e400): Unquote keeps the data then.
            guard let number = Double(literal), number.isFinite else { return raw }
            return GoJSONWriter.fixed(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        case .array, .object: return raw
        }
    }

    /// `pairs` as Go's `url.Values.Encode`: sorted by key, each escaped by `QueryEscape`.
    static func encoded(_ pairs: [(String, String)]) -> String {
        pairs.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { queryEscaped($0.0) + "=" + queryEscaped($0.1) }.joined(separator: "&")
    }

    /// Go's `url.QueryEscape`: letters, digits and `-_.~` kept, space as `+`, the rest `%XX`.
    static func queryEscaped(_ text: String) -> String { escaped(text, spaceAsPlus: true) }

    /// One path segment with everything but unreserved characters percent-encoded.
    static func pathEscaped(_ text: String) -> String { escaped(text, spaceAsPlus: false) }

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
