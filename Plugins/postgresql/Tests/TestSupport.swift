import DriverKit
import DriverTesting

@testable import PostgreSQLDriver

/// The server most tests share (started once per test process) and a fresh database on it.
func sharedDatabase(_ name: String) async throws -> (server: ServerProcess, database: String) {
    let server = try await ServerProcess.sharedPostgreSQL()
    return (server, try server.createDatabase(name))
}

/// An output instance of component "db" for `metadata`, not started.
func makeDriver(_ metadata: [String: String]) throws -> PostgreSQLDriver {
    try PostgreSQLDriver.make(metadata, component: "db")
}

/// Runs `body` with a started driver for `metadata`, then stops it, also when `body` throws.
func withDriver<T>(_ metadata: [String: String], _ body: (PostgreSQLDriver) async throws -> T) async throws -> T {
    try await makeDriver(metadata).whileStarted(body)
}

extension PostgreSQLDriver {
    /// Invokes `operation` with request metadata `sql` and, if given, `params`.
    func call(_ operation: String, _ sql: String, params: String? = nil, deadline: UInt64? = nil) async throws
        -> InvokeResponse?
    {
        var metadata = ["sql": sql]
        if let params { metadata["params"] = params }
        return try await invoke(InvokeRequest(operation: operation, metadata: metadata, deadline: deadline))
    }

    /// The rows `query` returns for `sql`, as text.
    func rows(_ sql: String, params: String? = nil) async throws -> String {
        String(decoding: try await call("query", sql, params: params)?.data ?? [], as: UTF8.self)
    }
}
