import CLibpq
import DriverJSON
import DriverKit
import Glibc

extension PostgreSQLConnection {
    /// After a successful `send`: flushes, then reads every result of `request`.
    func collect(_ request: PostgreSQLRequest) -> Result<PostgreSQLRequest.Answer, DriverError> {
        var answer = PostgreSQLRequest.Answer()
        var failure: DriverError?
        if let broken = drain(
            until: request.deadline,
            { result in
                if failure == nil { failure = read(result, for: request, into: &answer) }
            })
        {
            return .failure(broken)
        }
        return failure.map { .failure($0) } ?? .success(answer)
    }

    /// Flushes what was sent, then hands every result to `each` (which must not keep it) until
    /// libpq has no more. Past `deadline` the statement is cancelled on the server and the
    /// answer is a timeout; on a stop it is cancelled too and the connection closed.
    func drain(until deadline: UInt64?, _ each: (OpaquePointer) -> Void) -> DriverError? {
        guard let conn else { return lost() }
        var timedOut = false
        while true {
            let flushing = PQflush(conn)
            if flushing < 0 { return lost() }
            if flushing == 0 {
                while PQisBusy(conn) == 0 {
                    guard let result = PQgetResult(conn) else { return timedOut ? Self.timeout : nil }
                    each(result)
                    PQclear(result)
                }
            }
            let events = Int16(flushing == 1 ? POLLIN | POLLOUT : POLLIN)
            switch waiter(PQsocket(conn), events, timedOut ? nil : deadline) {
            case .stopping:
                cancel()
                close()
                return PostgreSQLRequest.stopping
            case .timedOut:
                timedOut = true
                cancel()
            case .ready:
                if PQconsumeInput(conn) == 0 { return lost() }
            }
        }
    }

    static let timeout = DriverError(
        .timeout, "error executing query: the request's deadline passed; the statement was cancelled")

    func lost() -> DriverError {
        let reason = message()
        close()
        return DriverError(
            .unavailable, "error executing query: connection to the server was lost: \(reason)", retryable: true)
    }

    /// Records one result; returns the error it carries, if any.
    private func read(
        _ result: OpaquePointer, for request: PostgreSQLRequest, into answer: inout PostgreSQLRequest.Answer
    )
        -> DriverError?
    {
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
            answer.rowsAffected = Int64(String(cString: PQcmdTuples(result))) ?? 0
            if request.kind == .query {
                do { answer.rows = try Self.rows(result) } catch {
                    return DriverError(.internalError, "error serializing results: \(error.message)")
                }
            }
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            answer.rowsAffected = Int64(String(cString: PQcmdTuples(result))) ?? 0
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            return Self.serverError(result)
        default:
            return DriverError(
                .unsupported,
                "error executing query: unsupported result \(String(cString: PQresStatus(PQresultStatus(result))))")
        }
        return nil
    }

    /// pgx's `PgError.Error()`: `ERROR: message (SQLSTATE code)`, after Dapr's prefix.
    static func serverError(_ result: OpaquePointer) -> DriverError {
        func field(_ code: Character) -> String {
            PQresultErrorField(result, Int32(code.asciiValue ?? 0)).map { String(cString: $0) } ?? ""
        }
        let state = field("C")
        guard !state.isEmpty else {
            let text = ConnectionString.trimmed(String(cString: PQresultErrorMessage(result)))
            return DriverError(.unavailable, "error executing query: \(text)", retryable: true)
        }
        // Classes 08 (connection), 40 (rollback: serialization, deadlock), 53 (resources), 57
        // (operator intervention) are worth a retry; others are the statement's own fault.
        let transient = ["08", "40", "53", "57"].contains(String(state.prefix(2)))
        return DriverError(
            transient ? .unavailable : .invalidArgument,
            "error executing query: \(field("S")): \(field("M")) (SQLSTATE \(state))", retryable: transient,
            metadata: ["sqlstate": state])
    }

    /// The rows of `result` as Dapr's JSON: an array of rows, each an array of column values.
    static func rows(_ result: OpaquePointer) throws(ValueEncoder.Failure) -> [UInt8] {
        var out = GoJSONWriter()
        let columns = PQnfields(result)
        let types = (0..<columns).map { PQftype(result, $0) }
        out.byte("[")
        for row in 0..<PQntuples(result) {
            if row > 0 { out.byte(",") }
            out.byte("[")
            for column in 0..<columns {
                if column > 0 { out.byte(",") }
                if PQgetisnull(result, row, column) == 1 {
                    out.raw("null")
                } else {
                    let text = String(cString: PQgetvalue(result, row, column))
                    try ValueEncoder.write(text, oid: types[Int(column)], to: &out)
                }
            }
            out.byte("]")
        }
        out.byte("]")
        return out.bytes
    }
}
