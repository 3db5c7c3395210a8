import DriverJSON

/// Go's renderings of the values Dapr's S3 binding writes: `commonutils.Unquote` for a request's
/// data, `time.Time` and `*bool`/`*int64` as `json.Marshal` prints them.
enum GoValues {
    /// The bytes Dapr uploads for `data`: a JSON string is unquoted, a JSON number or boolean
    /// becomes its text (`cast.ToStringE`), `null` becomes nothing; anything else (an object, an
    /// array, text that is not JSON) is uploaded as it came.
    static func unquote(_ data: [UInt8]) -> [UInt8] {
        guard let value = try? JSONValue.parse(String(decoding: data, as: UTF8.self)) else { return data }
        switch value {
        case .string(let text): return Array(text.utf8)
        case .bool(let flag): return Array((flag ? "true" : "false").utf8)
        case .null: return []
        case .number(let text): return Array(formatFloat(text).utf8)
        case .array, .object: return data
        }
    }

    /// A JSON number as Go's `strconv.FormatFloat(f, 'f', -1, 64)` prints the float64 it decodes to.
    static func formatFloat(_ text: String) -> String {
        let isPlainInteger = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        if isPlainInteger, text.utf8.count <= 15, text != "-0" { return text }
        guard let value = Double(text), value.isFinite else { return text }
        return GoJSONWriter.fixed(value)
    }

    /// An S3 timestamp (`2026-12-01T18:32:09.000Z`) as Go's `time.Time` marshals the UTC time the
    /// SDK parses from it (RFC 3339 with the fraction's trailing zeros dropped); other text as is.
    static func time(_ text: String) -> String {
        guard text.hasSuffix("Z"), let dot = text.firstIndex(of: ".") else { return text }
        var fraction = text[text.index(after: dot)..<text.index(before: text.endIndex)]
        guard fraction.allSatisfy(\.isNumber) else { return text }
        while fraction.last == "0" { fraction = fraction.dropLast() }
        return String(text[..<dot]) + (fraction.isEmpty ? "" : "." + fraction) + "Z"
    }
}
