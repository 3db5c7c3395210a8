import DriverKit

/// One request's statement, read from its metadata as Dapr's `Invoke` reads it: `sql` is
/// required, `params` is an optional JSON array bound as $1, $2, … (never spliced into the SQL).
struct PostgreSQLStatement: Sendable {
    let kind: PostgreSQLRequest.Kind
    let operation: String
    let sql: String
    let params: [String?]
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
        var params: [String?] = []
        if let text = request.metadata[PostgreSQLKey.params.rawValue], !text.isEmpty {
            params = try PostgreSQLStatement.params(text)
        }
        self.params = params
        simple = simpleProtocol && params.isEmpty
    }

    /// The JSON array as text parameters: strings as they are, numbers as written (integers
    /// keep every digit, where Dapr's float64 would round past 2^53), booleans as true/false,
    /// null as SQL NULL, objects and arrays as their compact JSON (for json/jsonb columns).
    static func params(_ text: String) throws(DriverError) -> [String?] {
        let problem = "invalid metadata property params: failed to unserialize into an array"
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch {
            throw DriverError(.invalidArgument, "\(problem): \(error.message)")
        }
        guard case .array(let items) = value else {
            if case .null = value { return [] }
            throw DriverError(
                .invalidArgument,
                "\(problem): json: cannot unmarshal \(value.goKind) into Go value of type []interface {}")
        }
        return try items.map { (item) throws(DriverError) -> String? in
            switch item {
            case .null: return nil
            case .bool(let flag): return flag ? "true" : "false"
            case .string(let text): return text
            case .number(let text):
                if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return text }
                return (try? GoJSONWriter.float(Double(text) ?? 0)) ?? text
            case .array, .object:
                var writer = GoJSONWriter()
                do { try writer.value(item) } catch let error as GoJSONWriter.Unsupported {
                    throw DriverError(.invalidArgument, "\(problem): \(error.message)")
                } catch {}
                return String(decoding: writer.bytes, as: UTF8.self)
            }
        }
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
