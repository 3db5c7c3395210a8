import DriverJSON

/// Go's renderings of the values Dapr's GCS binding reads and writes.
enum GoValues {
    /// The bytes Dapr uploads for `data`: when the whole of it is a Go quoted string
    /// (`strconv.Unquote`: "…" with escapes, or `…`), its content; anything else as it came.
    static func unquote(_ data: [UInt8]) -> [UInt8] {
        guard data.count >= 2, let first = data.first, first == data.last else { return data }
        if first == 0x60 {  // a raw string: no backquote inside; Go drops its carriage returns
            let inner = data.dropFirst().dropLast()
            guard !inner.contains(0x60) else { return data }
            return inner.filter { $0 != 0x0D }
        }
        guard first == 0x22, !data.contains(0x0A),
            case .string(let text)? = try? JSONValue.parse(bytes: data)
        else { return data }
        // JSON accepts `\/`, Go does not: keep such data as it came, as Dapr does.
        if data.indices.dropLast().contains(where: { data[$0] == 0x5C && data[$0 + 1] == 0x2F }) { return data }
        return Array(text.utf8)
    }

    /// An RFC 3339 time from GCS (`2026-12-01T18:32:09.012300Z`) as Go's `time.Time` marshals
    /// the UTC time parsed from it (fraction without trailing zeros); empty is Go's zero time.
    static func time(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "0001-01-01T00:00:00Z" }
        guard text.hasSuffix("Z"), let dot = text.firstIndex(of: ".") else { return text }
        var fraction = text[text.index(after: dot)..<text.index(before: text.endIndex)]
        guard fraction.allSatisfy(\.isNumber) else { return text }
        while fraction.last == "0" { fraction = fraction.dropLast() }
        return String(text[..<dot]) + (fraction.isEmpty ? "" : "." + fraction) + "Z"
    }
}
