import DriverJSON
import DriverKit

/// One request's statement, read from its metadata as Dapr's `Invoke` reads it: `sql` is
/// required, `params` is an optional JSON array bound as $1, $2, … (never spliced into the SQL).
struct PostgreSQLStatement: Sendable {
    let kind: PostgreSQLRequest.Kind
    let operation: String
    let sql: String
    let params: [String?]
    /// The params that are JSON arrays, as PostgreSQL array literals (see PostgreSQLRequest).
    let arrayLiterals: [Int: String]
    let simple: Bool

    init(_ request: InvokeRequest, simpleProtocol: Bool) throws(DriverError) {
        switch request.operation {
        case "exec": kind = .exec
        case "query": kind = .query
        default:
            throw DriverError(
                .unsupported, "invalid operation type: \(request.operation). Expected exec, query, or close")
        }
        operation = request.operation
        guard let sql = request.metadata[PostgreSQLKey.sql.rawValue], !sql.isEmpty else {
            throw DriverError(.invalidArgument, "required metadata not set: sql")
        }
        self.sql = sql
        var items: [JSONValue] = []
        if let text = request.metadata[PostgreSQLKey.params.rawValue], !text.isEmpty {
            items = try PostgreSQLStatement.items(text)
        }
        var params: [String?] = []
        for item in items { params.append(try PostgreSQLStatement.text(item)) }
        self.params = params
        var literals: [Int: String] = [:]
        for (index, item) in items.enumerated() {
            if case .array(let elements) = item { literals[index] = PostgreSQLStatement.arrayLiteral(elements) }
        }
        arrayLiterals = literals
        simple = simpleProtocol && params.isEmpty
    }

    static let problem = "invalid metadata property params: failed to unserialize into an array"

    /// The items of the `params` JSON array (`null` counts as none, as in Go).
    static func items(_ text: String) throws(DriverError) -> [JSONValue] {
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch {
            throw DriverError(.invalidArgument, "\(problem): \(error.message)")
        }
        switch value {
        case .array(let items): return items
        case .null: return []
        default:
            throw DriverError(
                .invalidArgument,
                "\(problem): json: cannot unmarshal \(value.goKind) into Go value of type []interface {}")
        }
    }

    /// The JSON array as text parameters (tests use it).
    static func params(_ text: String) throws(DriverError) -> [String?] {
        var params: [String?] = []
        for item in try items(text) { params.append(try self.text(item)) }
        return params
    }

    /// One item as a text parameter: strings as they are, numbers as written (integers keep
    /// every digit, where Dapr's float64 would round past 2^53), booleans as true/false, null as
    /// SQL NULL, objects and arrays as their compact JSON (for json/jsonb columns).
    static func text(_ item: JSONValue) throws(DriverError) -> String? {
        switch item {
        case .null: return nil
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text): return text
        case .number(let text):
            if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return text }
            return (try? GoJSONWriter.float(Double(text) ?? 0)) ?? text
        case .array, .object:
            var writer = GoJSONWriter()
            do { try writer.value(item) } catch {
                throw DriverError(.invalidArgument, "\(problem): \(error.message)")
            }
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }

    /// A JSON array as a PostgreSQL array literal: `[1,"a b",null,[2]]` → `{1,"a b",NULL,{2}}`.
    static func arrayLiteral(_ items: [JSONValue]) -> String {
        let elements = items.map { (item) -> String in
            switch item {
            case .null: return "NULL"
            case .array(let inner): return arrayLiteral(inner)
            case .string(let text): return quoted(text)
            case .object: return quoted((try? text(item)).flatMap { $0 } ?? "{}")
            default: return (try? text(item)).flatMap { $0 } ?? "NULL"
            }
        }
        return "{" + elements.joined(separator: ",") + "}"
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\\" || character == "\"" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    /// Dapr's response: `query` rows as data; metadata `operation`, `sql`, `start-time`,
    /// `end-time`, `duration` and, for `exec`, `rows-affected`.
    func response(_ answer: PostgreSQLRequest.Answer, started: Int64, ended: Int64) -> InvokeResponse? {
        // Go's HTTP server writes a CR or LF in a header value as a space, so multi-line SQL
        // reaches Dapr's HTTP callers on one line; bindery's server would drop the header instead.
        let oneLine = String(sql.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
        var metadata = [
            "operation": operation, "sql": oneLine, "start-time": GoTime.rfc3339Nano(started),
            "end-time": GoTime.rfc3339Nano(ended), "duration": GoTime.duration(ended - started),
        ]
        if kind == .exec { metadata["rows-affected"] = String(answer.rowsAffected) }
        return InvokeResponse(data: kind == .query ? answer.rows : [], metadata: metadata)
    }
}
