import CurlTransport
import DriverJSON
import DriverKit

/// SendGrid's answer to a message it did not accept, worded as Dapr words it:
/// `error from SendGrid: sending email failed: 400 {Errors:[{Field:from.email Message:The from
/// email does not contain a valid address. Help:http://…}]}` (Go's `%+v` of the decoded
/// `errors` array), so every field and message SendGrid names reaches the app.
enum SendGridFailure {
    static let prefix = "error from SendGrid: sending email failed: "

    static func error(_ response: CurlResponse) -> DriverError {
        var items: [String] = []
        if let body = try? JSONValue.parse(bytes: response.body), let errors = body["errors"]?.array {
            for item in errors {
                let field = goValue(item["field"] ?? .null)
                let message = goValue(item["message"] ?? .null)
                let help = goValue(item["help"] ?? .null)
                items.append("{Field:\(field) Message:\(message) Help:\(help)}")
            }
        }
        let text = prefix + "\(response.statusCode) {Errors:[\(items.joined(separator: " "))]}"
        let retryable = response.statusCode == 429 || response.statusCode >= 500
        let code: DriverError.Code =
            response.statusCode == 404 ? .notFound : retryable ? .unavailable : .invalidArgument
        return DriverError(code, text, retryable: retryable)
    }

    /// A decoded `any` as Go's `%v` prints it: strings bare, null as `<nil>`, numbers through
    /// float64 (`%v` picks `%g`'s shortest form), objects as `map[k:v]` with sorted keys.
    static func goValue(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text): return text
        case .number(let literal):
            guard let number = Double(literal), number.isFinite else { return literal }
            return goFloat(number)
        case .array(let items): return "[" + items.map(goValue).joined(separator: " ") + "]"
        case .object(let members):
            var latest: [String: JSONValue] = [:]
            for member in members { latest[member.key] = member.value }
            let keys = latest.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return "map[" + keys.map { "\($0):\(goValue(latest[$0] ?? .null))" }.joined(separator: " ") + "]"
        }
    }

    /// Go's `%v` of a float64: `%g` with the shortest digits, an exponent form (`1e+06`,
    /// `1.5e-05`) when the decimal exponent is below -4 or 6 or more.
    static func goFloat(_ number: Double) -> String {
        let fixed = GoJSONWriter.fixed(number)
        guard number != 0 else { return fixed }
        let sign = number < 0 ? "-" : ""
        let unsigned = fixed.hasPrefix("-") ? String(fixed.dropFirst()) : fixed
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = Substring(whole + fraction)
        var exponent = whole.count - 1
        while digits.first == "0" {
            digits = digits.dropFirst()
            exponent -= 1
        }
        while digits.last == "0" { digits = digits.dropLast() }
        guard exponent < -4 || exponent >= 6 else { return fixed }
        let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : String(digits)
        let magnitude = abs(exponent)
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
    }
}
