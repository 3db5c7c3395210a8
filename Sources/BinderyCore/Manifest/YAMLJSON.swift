/// JSON text of YAML values exactly as Dapr produces it: sigs.k8s.io/yaml turns YAML into JSON
/// with Go's encoding/json (compact, map keys sorted, `<`, `>` and `&` escaped), and Dapr keeps
/// that text for metadata values that are not strings (`DynamicValue.String()`).
package enum YAMLJSON {
    /// The JSON text of a node; throws for numbers JSON cannot hold (`.inf`, `.nan`).
    package static func text(_ node: YAMLNode) throws(ManifestError) -> String {
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
                    throw ManifestError(
                        .schema, "the number \(node.text ?? "") cannot be represented in JSON", line: node.line,
                        column: node.column)
                }
                out += GoFloat.json(value)
            case .string(let text): out += GoJSON.quoted(text)
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
            let sorted = pairs.sorted {
                Array(($0.key.text ?? "").utf8).lexicographicallyPrecedes(Array(($1.key.text ?? "").utf8))
            }
            for (index, pair) in sorted.enumerated() {
                if index > 0 { out += "," }
                out += GoJSON.quoted(pair.key.text ?? "") + ":"
                try append(pair.value, to: &out)
            }
            out += "}"
        }
    }
}
