import DriverKit
import Synchronization

/// `bindings.postgresql` (alias `bindings.postgres`): `exec`, `query` and `close` on a pool
/// of libpq connections, as Dapr's PostgreSQL binding.
///
/// `invoke` parses the request and queues it on the pool (`PostgreSQLPool`); a worker thread
/// per connection sends it with bound parameters and completes it, with no Swift task per request.
final class PostgreSQLDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.postgresql", version: "1.0.0",
        summary: "Runs SQL statements (exec, query) on a PostgreSQL server through a pool of libpq connections.",
        directions: [.output],
        operations: ["exec", "query", "close"],
        fields: PostgreSQLDriver.fields)

    let settings: PostgreSQLSettings
    private let host: DriverHost
    private let pool: PostgreSQLPool
    /// Set by the `close` operation: from then on, as in Dapr, requests fail with "component is closed".
    private let closed = Atomic(false)

    init(configuration: DriverConfiguration, host: DriverHost) throws {
        settings = try PostgreSQLSettings(configuration)
        self.host = host
        pool = PostgreSQLPool(settings: settings)
    }

    /// Starts the pool and pings the server through it (Dapr's Init does the same), within `timeout`.
    func start() async throws {
        do { try pool.start() } catch {
            await pool.stop()
            throw error
        }
        let deadline = host.now() + UInt64(settings.timeout.nanoseconds)
        let result = await withCheckedContinuation { continuation in
            pool.submit(
                PostgreSQLRequest(.ping, sql: "-- ping", simple: true, deadline: deadline) {
                    continuation.resume(returning: $0)
                })
        }
        if case .failure(let error) = result {
            await pool.stop()
            let cause = error.message.replacingPrefix("error executing query: ", with: "")
            throw DriverError(error.code == .timeout ? .timeout : .unavailable, "failed to ping the DB: \(cause)")
        }
        host.log(
            .debug, "bindings.postgresql ready for \(settings.target), up to \(settings.pool.maxConns) connections")
    }

    func invoke(
        _ request: InvokeRequest, completion: @escaping @Sendable (Result<InvokeResponse?, DriverError>) -> Void
    ) {
        if request.operation == "close" {
            closed.store(true, ordering: .relaxed)
            let pool = self.pool
            Task {
                await pool.stop()
                completion(.success(nil))
            }
            return
        }
        guard !closed.load(ordering: .relaxed) else {
            return completion(.failure(DriverError(.unavailable, "component is closed")))
        }
        let statement: PostgreSQLStatement
        do { statement = try PostgreSQLStatement(request, simpleProtocol: settings.simpleProtocol) } catch {
            return completion(.failure(error))
        }
        let started = GoTime.now()
        pool.submit(
            PostgreSQLRequest(
                statement.kind, sql: statement.sql, params: statement.params, arrayLiterals: statement.arrayLiterals,
                simple: statement.simple,
                deadline: request.deadline
            ) { result in
                completion(result.map { statement.response($0, started: started, ended: GoTime.now()) })
            })
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        try await withCheckedThrowingContinuation { continuation in
            invoke(request) { continuation.resume(with: $0.mapError { $0 as any Error }) }
        }
    }

    /// Cancels running statements, fails waiting ones (`.cancelled`), closes every connection
    /// and joins every worker thread before returning.
    func stop() async {
        await pool.stop()
    }
}

/// The driver this library exports (Plugins/postgresql/Entry).
public let exportedDriver: any BindingDriver.Type = PostgreSQLDriver.self

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
