import DriverJSON

/// A JSON value printed as Go's `fmt.Sprintf("%v", v)` prints what `json.Unmarshal` made of it
/// (strings, float64, bool, nil, `map[string]interface{}`, `[]interface{}`): how Dapr's SNS
/// binding turns the data's `message` and `subject` into text, so that a number or an object
/// is published exactly as Dapr publishes it.
enum GoValueText {
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: "<nil>"
        case .bool(let flag): flag ? "true" : "false"
        case .string(let string): string
        case .number(let literal): float(literal)
        case .array(let items): "[" + items.map(text).joined(separator: " ") + "]"
        case .object(let members):
            // A Go map: the last of a repeated key wins, and fmt prints keys sorted.
            "map["
                + lastWins(members).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { "\($0.key):\(text($0.value))" }.joined(separator: " ") + "]"
        }
    }

    private static func lastWins(_ members: [JSONValue.Member]) -> [JSONValue.Member] {
        var index: [String: Int] = [:]
        var unique: [JSONValue.Member] = []
        for member in members {
            if let at = index[member.key] {
                unique[at] = member
            } else {
                index[member.key] = unique.count
                unique.append(member)
            }
        }
        return unique
    }

    /// A JSON number as Go's `%v` prints a float64: strconv's shortest digits in `%g` form,
    /// with an exponent (`1e+06`, `1.5e-05`) when the decimal exponent is below -4 or 6 or more
    /// (strconv's rule for the shortest precision), so 123456 stays and 1234567 is `1.234567e+06`.
    static func float(_ literal: String) -> String {
        guard let value = Double(literal) else { return literal }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let (digits, point) = shortestDigits(abs(value))
        let sign = value < 0 ? "-" : ""
        let exponent = point - 1
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.prefix(1))
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let magnitude = abs(exponent)
            let padded = magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + padded
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if digits.count <= point { return sign + digits + String(repeating: "0", count: point - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// The shortest decimal digits that read back as `value` (Swift's description finds the
    /// same digits as Go's strconv), and where the decimal point goes: value = 0.digits × 10^point.
    private static func shortestDigits(_ value: Double) -> (digits: String, point: Int) {
        let description = value.description  // "1234.5", "1e-05", "1.2345e+16"
        let parts = description.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0]
        let whole = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(whole[0])
        let fraction = whole.count > 1 ? String(whole[1]) : ""
        var digits = integer + fraction
        var point = integer.count + exponent
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }
}
