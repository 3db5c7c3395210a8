/// A scalar typed by the YAML 1.2 core schema: only plain scalars are typed; quoted and block
/// scalars are always strings.
///
/// Go's sigs.k8s.io/yaml (YAML 1.1 rules) agrees on what Dapr files contain: `true`/`false`,
/// decimal numbers, `null`/`~`/empty. It differs on `yes`/`no`/`on`/`off` (booleans there,
/// strings here), `0755` (octal there, decimal here) and timestamps (strings here).
package enum YAMLScalar: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The integer's canonical decimal text (leading `+`, zeros and hex/octal forms resolved).
    case int(String)
    case float(Double)
    case string(String)

    package init(_ node: YAMLNode) {
        guard case .scalar(let text, let style) = node.content else {
            self = .string("")
            return
        }
        self = style == .plain ? Self.resolve(text) : .string(text)
    }

    package static func resolve(_ text: String) -> YAMLScalar {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        if let int = integer(text) { return int }
        if isFloat(text), let value = Double(text) { return .float(value) }
        return .string(text)
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`; too large for 64 bits becomes a float.
    private static func integer(_ text: String) -> YAMLScalar? {
        let ascii = Array(text.utf8)
        var radix = 10, digits = ascii[...], negative = false
        if ascii.count > 2, ascii[0] == 48, ascii[1] == 0x6F || ascii[1] == 0x78 {
            radix = ascii[1] == 0x6F ? 8 : 16
            digits = ascii[2...]
        } else if let first = ascii.first, first == 0x2B || first == 0x2D {
            negative = first == 0x2D
            digits = ascii[1...]
        }
        let valid: (UInt8) -> Bool = { c in
            switch radix {
            case 8: return (48...55).contains(c)
            case 16: return (48...57).contains(c) || (65...70).contains(c) || (97...102).contains(c)
            default: return (48...57).contains(c)
            }
        }
        guard !digits.isEmpty, digits.allSatisfy(valid) else { return nil }
        let body = String(decoding: digits, as: UTF8.self)
        if let value = UInt64(body, radix: radix) {
            if negative, value > 0 {
                return value <= UInt64(Int64.max) + 1 ? .int("-\(value)") : .float(-Double(value))
            }
            return .int(String(value))
        }
        guard radix == 10, let value = Double(body) else { return nil }
        return .float(negative ? -value : value)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isFloat(_ text: String) -> Bool {
        var chars = Array(text.utf8)[...]
        let isDigit: (UInt8) -> Bool = { (48...57).contains($0) }
        if let first = chars.first, first == 0x2B || first == 0x2D { chars = chars.dropFirst() }
        let whole = chars.prefix(while: isDigit)
        chars = chars.dropFirst(whole.count)
        var fraction = 0
        if chars.first == 0x2E {
            chars = chars.dropFirst()
            fraction = chars.prefix(while: isDigit).count
            chars = chars.dropFirst(fraction)
        }
        guard whole.count + fraction > 0 else { return false }
        if let e = chars.first, e == 0x65 || e == 0x45 {
            chars = chars.dropFirst()
            if let sign = chars.first, sign == 0x2B || sign == 0x2D { chars = chars.dropFirst() }
            let exponent = chars.prefix(while: isDigit).count
            guard exponent > 0 else { return false }
            chars = chars.dropFirst(exponent)
        }
        return chars.isEmpty
    }

    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .float: return "a number"
        case .string: return "a string"
        }
    }
}
