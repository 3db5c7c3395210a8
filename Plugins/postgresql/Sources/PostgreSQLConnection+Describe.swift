import CLibpq
import DriverKit

extension PostgreSQLConnection {
    /// Sends `request` after asking the server what its parameters are, when one of them is a
    /// JSON array: pgx (which knows each parameter's type) encodes a Go slice as a PostgreSQL
    /// array for an array parameter (`id = ANY($1)`) and as JSON for a json/jsonb one, so the
    /// statement is prepared unnamed and described first, and the array sent in the form its
    /// type takes. Two more round trips, only for such requests. Returns nil once sent.
    func sendDescribed(_ request: PostgreSQLRequest) -> DriverError? {
        guard let conn else { return lost() }
        guard PQsendPrepare(conn, "", request.sql, Int32(request.params.count), nil) == 1 else { return lost() }
        var failure: DriverError?
        if let broken = drain(
            until: request.deadline,
            { result in
                if failure == nil, PQresultStatus(result) != PGRES_COMMAND_OK { failure = Self.serverError(result) }
            })
        {
            return broken
        }
        if let failure { return failure }
        guard PQsendDescribePrepared(conn, "") == 1 else { return lost() }
        var types: [UInt32] = []
        if let broken = drain(
            until: request.deadline,
            { result in
                if types.isEmpty, PQresultStatus(result) == PGRES_COMMAND_OK {
                    types = (0..<PQnparams(result)).map { PQparamtype(result, $0) }
                } else if failure == nil, PQresultStatus(result) != PGRES_COMMAND_OK {
                    failure = Self.serverError(result)
                }
            })
        {
            return broken
        }
        if let failure { return failure }
        var params = request.params
        for (index, literal) in request.arrayLiterals where index < types.count {
            if types[index] != 114, types[index] != 3802 { params[index] = literal }
        }
        return send(request, params: params) ? nil : lost()
    }
}
