/// Writes JSON as Go's `json.Marshal` does, which is how Dapr's driver answers `query`: strings
/// with `<`, `>`, `&`, U+2028 and U+2029 escaped, floats in Go's shortest form, map keys sorted.
public struct GoJSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(256) }

    public mutating func raw(_ text: String) { bytes += text.utf8 }

    public mutating func byte(_ character: Unicode.Scalar) { bytes.append(UInt8(character.value)) }

    /// Go's `encodeState.string` with HTML escaping on.
    public mutating func string(_ text: String) {
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: bytes += [0x5c, 0x22]
            case 0x5c: bytes += [0x5c, 0x5c]
            case 0x08: bytes += [0x5c, UInt8(ascii: "b")]
            case 0x0c: bytes += [0x5c, UInt8(ascii: "f")]
            case 0x0a: bytes += [0x5c, UInt8(ascii: "n")]
            case 0x0d: bytes += [0x5c, UInt8(ascii: "r")]
            case 0x09: bytes += [0x5c, UInt8(ascii: "t")]
            case 0x00..<0x20, 0x3c, 0x3e, 0x26:
                bytes += Array("\\u00".utf8) + [hex[Int(scalar.value >> 4)], hex[Int(scalar.value & 0xf)]]
            case 0x2028: raw("\\u2028")
            case 0x2029: raw("\\u2029")
            default: bytes += String(scalar).utf8
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A decoded JSON value re-encoded as Go encodes the `any` it unmarshals to: numbers through
    /// float64, objects as maps (keys sorted byte-wise, the last duplicate wins).
    public mutating func value(_ value: JSONValue) throws(GoJSONWriter.Unsupported) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): raw(flag ? "true" : "false")
        case .number(let text): raw(try GoJSONWriter.number(text))
        case .string(let text): string(text)
        case .array(let items):
            byte("[")
            for (position, item) in items.enumerated() {
                if position > 0 { byte(",") }
                try self.value(item)
            }
            byte("]")
        case .object(let members):
            var latest: [String: JSONValue] = [:]
            for member in members { latest[member.key] = member.value }
            let keys = latest.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            byte("{")
            for (position, key) in keys.enumerated() {
                if position > 0 { byte(",") }
                string(key)
                byte(":")
                try self.value(latest[key] ?? .null)
            }
            byte("}")
        }
    }

    /// A value json.Marshal refuses (NaN, ±Inf), worded as Go words it.
    public struct Unsupported: Error, Sendable {
        public var message: String
    }

    /// A JSON number as Go prints the float64 it decodes to; integers of up to 15 digits as written.
    public static func number(_ text: String) throws(Unsupported) -> String {
        if text.utf8.count <= 15, text != "-0", text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d }) {
            return text
        }
        guard let value = Double(text) else { throw Unsupported(message: "json: invalid number literal \(text)") }
        return try float(value)
    }

    /// Go's `floatEncoder` for a float64 (`bits` 64) or a float32 (`bits` 32).
    public static func float(_ value: Double, bits: Int = 64) throws(Unsupported) -> String {
        guard value.isFinite else {
            let text = value.isNaN ? "NaN" : value > 0 ? "+Inf" : "-Inf"
            throw Unsupported(message: "json: unsupported value: \(text)")
        }
        let shortest = bits == 32 ? Float(value).description : value.description
        let (digits, point) = decimalDigits(shortest)
        let sign = value.sign == .minus && !digits.isEmpty ? "-" : ""
        guard !digits.isEmpty else { return value.sign == .minus ? "-0" : "0" }
        let magnitude = abs(value)
        let exponential = magnitude < 1e-6 || magnitude >= 1e21
        if exponential {
            let exponent = point - 1
            let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
            let e = abs(exponent)
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 && exponent >= 0 ? "0" : "")
                + String(e)
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// Go's `strconv.FormatFloat(value, 'f', -1, 64)`: the shortest digits that read back as the
    /// same float64, never with an exponent ("1.5", "0.0000001", "-0", "1000000000000000000000").
    public static func fixed(_ value: Double) -> String {
        let sign = value.sign == .minus ? "-" : ""
        guard value != 0 else { return sign + "0" }
        let (digits, point) = decimalDigits(abs(value).description)
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// Swift's shortest round-trip text ("1.5", "1e-07", "1.0e+21") as significant digits and
    /// the position of the decimal point (value = 0.digits × 10^point).
    private static func decimalDigits(_ text: String) -> (String, Int) {
        let unsigned = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = unsigned.split(separator: "e", maxSplits: 1)
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(pieces[0])
        var digits = Substring(whole + (pieces.count > 1 ? String(pieces[1]) : ""))
        var point = whole.count + exponent
        while digits.first == "0" {
            digits = digits.dropFirst()
            point -= 1
        }
        while digits.last == "0" { digits = digits.dropLast() }
        return (String(digits), point)
    }
}
