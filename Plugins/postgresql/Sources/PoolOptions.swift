import DriverKit
import Glibc

/// The pool's sizes and timers: pgxpool's defaults, then the `pool_*` parameters of the
/// connection string (which pgx reads and libpq refuses), then the component's own fields.
struct PoolOptions: Sendable, Equatable {
    /// pgxpool: the greater of 4 and the number of CPUs.
    var maxConns = max(4, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    var minConns = 0
    var maxConnLifetime = GoDuration(nanoseconds: 3_600_000_000_000)
    var maxConnLifetimeJitter = GoDuration(nanoseconds: 0)
    var maxConnIdleTime = GoDuration(nanoseconds: 1_800_000_000_000)
    var healthCheckPeriod = GoDuration(nanoseconds: 60_000_000_000)

    /// The pgx parameters this driver reads and honours, and those it accepts and ignores
    /// (statement caches: it never prepares named statements).
    static let honoured = [
        "pool_max_conns", "pool_min_conns", "pool_min_idle_conns", "pool_max_conn_lifetime",
        "pool_max_conn_lifetime_jitter", "pool_max_conn_idle_time", "pool_health_check_period",
        "default_query_exec_mode",
    ]
    static let ignored = [
        "statement_cache_capacity", "description_cache_capacity", "min_read_buffer_size", "servicefile",
        "sslnegotiation",
    ]

    /// Takes pgx's parameters out of `connection`, reading them as pgxpool does (its wording in
    /// errors). Returns the query exec mode `default_query_exec_mode` asked for, if any.
    mutating func take(from connection: inout ConnectionString) throws(ConnectionString.Problem) -> String? {
        if let text = connection.take("pool_max_conns") {
            guard let count = Int32(text) else { throw bad("cannot parse pool_max_conns: \"\(text)\" is not a number") }
            guard count >= 1 else { throw bad("pool_max_conns too small: \(count)") }
            maxConns = Int(count)
        }
        if let text = connection.take("pool_min_conns") {
            guard let count = Int32(text) else { throw bad("cannot parse pool_min_conns: \"\(text)\" is not a number") }
            minConns = max(0, Int(count))
        }
        if let text = connection.take("pool_min_idle_conns") {
            guard let count = Int32(text) else {
                throw bad("cannot parse pool_min_idle_conns: \"\(text)\" is not a number")
            }
            minConns = max(minConns, Int(count))
        }
        maxConnLifetime = try duration(&connection, "pool_max_conn_lifetime") ?? maxConnLifetime
        maxConnLifetimeJitter = try duration(&connection, "pool_max_conn_lifetime_jitter") ?? maxConnLifetimeJitter
        maxConnIdleTime = try duration(&connection, "pool_max_conn_idle_time") ?? maxConnIdleTime
        healthCheckPeriod = try duration(&connection, "pool_health_check_period") ?? healthCheckPeriod
        for key in PoolOptions.ignored { _ = connection.take(key) }
        return connection.take("default_query_exec_mode")
    }

    private func duration(_ connection: inout ConnectionString, _ key: String) throws(ConnectionString.Problem)
        -> GoDuration?
    {
        guard let text = connection.take(key) else { return nil }
        do { return try GoDuration(go: text) } catch { throw bad("invalid \(key): \(error.description)") }
    }

    private func bad(_ reason: String) -> ConnectionString.Problem { ConnectionString.Problem(reason: reason) }
}
