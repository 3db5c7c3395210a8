import DriverJSON

/// The message text, as Dapr's binding makes it (the form is `GoURLEscaping.form`).
enum FormText {
    /// The SMS body Dapr's `commonutils.Unquote` makes of the request's data: a JSON string's
    /// text, a JSON number as Go's `FormatFloat(f, 'f', -1, 64)`, true or false, "" for null,
    /// and the data unchanged when it is an object, an array or not JSON.
    static func messageBody(_ data: [UInt8]) -> String {
        let raw = String(decoding: data, as: UTF8.self)
        guard let value = try? JSONValue.parse(bytes: data) else { return raw }
        switch value {
        case .string(let text): return text
        case .number(let literal):
            // Go cannot decode a number beyond float64 (1e400): Unquote keeps the data then.
            guard let number = Double(literal), number.isFinite else { return raw }
            return GoJSONWriter.fixed(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        case .array, .object: return raw
        }
    }
}
