/// Go's shortest float formatting (`strconv.FormatFloat(f, 'f'|'e', -1, 64)`), from Swift's
/// shortest round-trip digits.
package enum GoFloat {
    /// As encoding/json writes a float64: 'f', or 'e' below 1e-6 and from 1e21, exponent trimmed.
    package static func json(_ value: Double) -> String {
        let magnitude = abs(value)
        let exponential = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        var text = exponential ? format(value, exponential: true) : format(value, exponential: false)
        if exponential, let e = text.lastIndex(of: "e") {
            let exponent = text[text.index(after: e)...]
            if exponent.count == 3, exponent.hasPrefix("-0") {
                text = String(text[...e]) + "-" + String(exponent.suffix(1))
            }
        }
        return text
    }

    /// 'f' (no exponent) or 'e' (`d.ddde±dd`) with the fewest digits that round-trip.
    package static func format(_ value: Double, exponential: Bool) -> String {
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
