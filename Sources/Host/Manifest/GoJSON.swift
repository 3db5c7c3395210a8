/// JSON text of YAML values exactly as Dapr produces it: sigs.k8s.io/yaml turns YAML into JSON
/// with Go's encoding/json (compact, map keys sorted, `<`, `>` and `&` escaped), and Dapr keeps
/// that text for metadata values that are not strings (`DynamicValue.String()`).
enum GoJSON {
    /// The JSON text of a node; throws for numbers JSON cannot hold (`.inf`, `.nan`).
    static func text(_ node: YAMLNode) throws(ManifestError) -> String {
        var out = ""
        try append(node, to: &out)
        return out
    }

    /// The string Dapr hands a driver for a metadata `value`: strings as written, null as "",
    /// everything else as its JSON text.
    static func metadataString(_ node: YAMLNode) throws(ManifestError) -> String {
        switch node.content {
        case .scalar:
            switch YAMLScalar(node) {
            case .null: return ""
            case .string(let text): return text
            default: return try text(node)
            }
        default: return try text(node)
        }
    }

    private static func append(_ node: YAMLNode, to out: inout String) throws(ManifestError) {
        switch node.content {
        case .scalar:
            switch YAMLScalar(node) {
            case .null: out += "null"
            case .bool(let value): out += value ? "true" : "false"
            case .int(let text): out += text
            case .float(let value):
                guard value.isFinite else {
                    throw ManifestError(.schema, "the number \(node.text ?? "") cannot be represented in JSON", line: node.line, column: node.column)
                }
                out += GoFloat.json(value)
            case .string(let text): out += quoted(text)
            }
        case .sequence(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                try append(item, to: &out)
            }
            out += "]"
        case .mapping(let pairs):
            out += "{"
            let sorted = pairs.sorted { Array(($0.key.text ?? "").utf8).lexicographicallyPrecedes(Array(($1.key.text ?? "").utf8)) }
            for (index, pair) in sorted.enumerated() {
                if index > 0 { out += "," }
                out += quoted(pair.key.text ?? "") + ":"
                try append(pair.value, to: &out)
            }
            out += "}"
        }
    }

    /// A JSON string literal as Go's json.Marshal writes it (HTML-safe escaping included).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}": out += unicodeEscape(scalar.value)
            case _ where scalar.value < 0x20: out += unicodeEscape(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}

/// Go's shortest float formatting (`strconv.FormatFloat(f, 'f'|'e', -1, 64)`), from Swift's
/// shortest round-trip digits.
enum GoFloat {
    /// As encoding/json writes a float64: 'f', or 'e' below 1e-6 and from 1e21, exponent trimmed.
    static func json(_ value: Double) -> String {
        let magnitude = abs(value)
        let exponential = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        var text = exponential ? format(value, exponential: true) : format(value, exponential: false)
        if exponential, let e = text.lastIndex(of: "e") {
            let exponent = text[text.index(after: e)...]
            if exponent.count == 3, exponent.hasPrefix("-0") { text = String(text[...e]) + "-" + String(exponent.suffix(1)) }
        }
        return text
    }

    /// 'f' (no exponent) or 'e' (`d.ddde±dd`) with the fewest digits that round-trip.
    static func format(_ value: Double, exponential: Bool) -> String {
        let sign = value.sign == .minus ? "-" : ""
        let (digits, point) = shortestDigits(abs(value))
        guard !digits.isEmpty else { return sign + (exponential ? "0e+00" : "0") }
        if exponential {
            let exponent = point - 1
            let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
            let e = abs(exponent)
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// Significant digits without leading or trailing zeros, and where the decimal point goes
    /// (value = 0.digits × 10^point). Empty digits mean zero.
    private static func shortestDigits(_ magnitude: Double) -> (String, Int) {
        let text = magnitude.description  // shortest round-trip, e.g. "1.5", "1e-07", "1.0e+21"
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(pieces[0])
        let fraction = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = Substring(whole + fraction)
        var point = whole.count + exponent
        while digits.first == "0" {
            digits = digits.dropFirst()
            point -= 1
        }
        while digits.last == "0" { digits = digits.dropLast() }
        return (String(digits), point)
    }
}
