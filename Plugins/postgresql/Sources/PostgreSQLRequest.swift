import DriverKit

/// One statement on its way through the pool: sent on one connection, answered exactly once.
///
/// `@unchecked Sendable`: an invoke thread creates it and hands it over through the pool's
/// mutex or a worker's queue; from then on only that worker's thread touches it.
final class PostgreSQLRequest: @unchecked Sendable {
    enum Kind { case exec, query, ping }

    /// What a statement produced: the last command's row count and, for `query`, the rows of
    /// the last result that had rows, as Dapr's JSON.
    struct Answer: Sendable {
        var rowsAffected: Int64 = 0
        var rows: [UInt8] = Array("[]".utf8)
    }

    typealias Completion = @Sendable (Result<Answer, DriverError>) -> Void

    let kind: Kind
    let sql: String
    /// Text parameters ($1, $2, …); nil is SQL NULL.
    let params: [String?]
    /// For params that are JSON arrays, by index: the same as a PostgreSQL array literal, sent
    /// instead of the JSON text when the server says the parameter is not json/jsonb.
    let arrayLiterals: [Int: String]
    /// Sent with the simple protocol (several statements allowed): queryExecMode
    /// simple_protocol and no params, or the ping.
    let simple: Bool
    /// CLOCK_MONOTONIC nanoseconds, or nil for none.
    let deadline: UInt64?
    private var completion: Completion?

    init(
        _ kind: Kind, sql: String, params: [String?] = [], arrayLiterals: [Int: String] = [:], simple: Bool = false,
        deadline: UInt64? = nil, completion: @escaping Completion
    ) {
        self.kind = kind
        self.sql = sql
        self.params = params
        self.arrayLiterals = arrayLiterals
        self.simple = simple
        self.deadline = deadline
        self.completion = completion
    }

    func finish(_ result: Result<Answer, DriverError>) {
        let completion = self.completion
        self.completion = nil
        completion?(result)
    }

    func fail(_ error: DriverError) { finish(.failure(error)) }

    static let stopping = DriverError(
        .cancelled, "bindings.postgresql: request cancelled: the component is stopping or closed")
}
