/// Re-encodes a JSON value exactly as Go's `json.Marshal` encodes the `any` that
/// `json.Unmarshal` produced from it: compact, object keys sorted byte-wise (last duplicate
/// wins), `<`, `>`, `&`, U+2028 and U+2029 escaped, numbers through float64 with Go's
/// shortest formatting. Dapr hands drivers `data` in this form (dapr-bindings-spec.md 1.3).
package enum GoJSON {
    package struct Failure: Error, Equatable, CustomStringConvertible {
        package let description: String
    }

    package static func marshal(_ value: JSONValue) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        try append(value, to: &out)
        return out
    }

    private static func append(_ value: JSONValue, to out: inout [UInt8]) throws(Failure) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .number(let text): out += Array(try number(text).utf8)
        case .string(let text): appendString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                try append(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            var latest: [String: JSONValue] = [:]
            for member in members { latest[member.key] = member.value }
            let keys = latest.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            out.append(UInt8(ascii: "{"))
            for (position, key) in keys.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                try append(latest[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Go's `encodeState.string` with HTML escaping on.
    package static func appendString(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += [0x5c, 0x22]
            case 0x5c: out += [0x5c, 0x5c]
            case 0x08: out += [0x5c, UInt8(ascii: "b")]
            case 0x0c: out += [0x5c, UInt8(ascii: "f")]
            case 0x0a: out += [0x5c, UInt8(ascii: "n")]
            case 0x0d: out += [0x5c, UInt8(ascii: "r")]
            case 0x09: out += [0x5c, UInt8(ascii: "t")]
            case 0x00..<0x20, 0x3c, 0x3e, 0x26:
                out += Array("\\u00".utf8) + [hex[Int(scalar.value >> 4)], hex[Int(scalar.value & 0xf)]]
            case 0x2028: out += Array("\\u2028".utf8)
            case 0x2029: out += Array("\\u2029".utf8)
            default: out += Array(String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A JSON number as Go prints the float64 it decodes to.
    package static func number(_ text: String) throws(Failure) -> String {
        // Integers of up to 15 digits are exact in a float64 and print as written (no leading
        // zeros: the parser's grammar refuses them). The common case, and 6% of a request.
        let utf8 = text.utf8
        if utf8.count <= 15, utf8.first != UInt8(ascii: "-") || utf8.count > 1,
            utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") }), text != "-0"
        {
            return text
        }
        guard let value = Double(text), value.isFinite else {
            throw Failure(description: "json: cannot unmarshal number \(text) into Go value of type float64")
        }
        return GoFloat.json(value)
    }

    /// A JSON string literal as Go's json.Marshal writes it.
    package static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        appendString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
