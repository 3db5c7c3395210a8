import CLibpq
import DriverKit

/// Metadata keys, spelled as in metadata.yaml.
enum PostgreSQLKey: String, MetadataKey {
    case connectionString, url, host, hostaddr, port, database, user, password, sslRootCert
    case timeout, timeoutInSeconds, maxConns, connectionMaxIdleTime, queryExecMode
    case useAzureAD, useAWSIAM
    /// Request metadata.
    case sql, params
}

/// The configuration of one `bindings.postgresql` instance, checked at create (no I/O).
///
/// The connection string is read as Dapr's `PostgresAuthMetadata.buildConnectionString` reads
/// it (the separate fields override what the string says), then turned into libpq keywords:
/// pgx's pool parameters are taken out and honoured, `database` becomes libpq's `dbname`, and
/// any other key libpq does not know is a server setting pgx would send at start-up, so it is
/// sent the same way through libpq's `options` (`-c key=value`).
struct PostgreSQLSettings: Sendable {
    let component: String
    /// libpq keywords and values for PQconnectStartParams.
    let keywords: [(key: String, value: String)]
    var pool = PoolOptions()
    /// Bounds connecting (each connection, and the first one at start) and the first ping.
    var timeout = GoDuration(nanoseconds: 20_000_000_000)
    /// True for queryExecMode simple_protocol: a request without params may hold several statements.
    var simpleProtocol = false
    /// `user=… host=… port=… database=…` for messages (never the password).
    let target: String

    init(_ configuration: DriverConfiguration) throws {
        let metadata = ComponentMetadata(configuration, fields: PostgreSQLDriver.fields)
        component = configuration.componentName
        for (key, what) in [(PostgreSQLKey.useAzureAD, "Azure AD"), (.useAWSIAM, "AWS IAM")]
        where try metadata.bool(key) == true {
            throw DriverError(
                .invalidArgument,
                "\(component): metadata \"\(key.rawValue)\" is true, but \(what) authentication is not supported by bindery's bindings.postgresql; put a password in connectionString instead"
            )
        }
        var connection = try PostgreSQLSettings.connection(metadata)
        var mode: String?
        do { mode = try pool.take(from: &connection) } catch {
            throw DriverError(.invalidArgument, "\(component): connectionString: \(error.reason)")
        }
        keywords = try PostgreSQLSettings.libpqKeywords(connection, component: component)
        let described = ["user", "host", "hostaddr", "port", "dbname"].compactMap { key in
            connection.value(key).map { "\(key == "dbname" ? "database" : key)=\($0)" }
        }
        target = described.joined(separator: " ")
        try readFields(metadata, mode: mode)
    }

    /// The string (`connectionString`, or its older name `url`) with the separate fields applied.
    private static func connection(_ metadata: ComponentMetadata) throws -> ConnectionString {
        let key = metadata.lookup([PostgreSQLKey.connectionString, PostgreSQLKey.url])?.key ?? "connectionString"
        let text = metadata.string(PostgreSQLKey.connectionString, PostgreSQLKey.url) ?? ""
        var connection = ConnectionString()
        if !text.isEmpty {
            switch Result(catching: { () throws(ConnectionString.Problem) in try ConnectionString(parsing: text) }) {
            case .success(let parsed): connection = parsed
            case .failure(let error):
                throw DriverError(
                    .invalidArgument,
                    "\(metadata.component): metadata \"\(key)\" (sensitive, not shown) is not a PostgreSQL connection string: \(error.reason); expected \"host=… user=… password=… dbname=…\" or \"postgres://user:password@host:5432/dbname\""
                )
            }
        }
        let fields: [(PostgreSQLKey, String)] = [
            (.user, "user"), (.host, "host"), (.hostaddr, "hostaddr"), (.port, "port"), (.database, "dbname"),
            (.password, "password"), (.sslRootCert, "sslrootcert"),
        ]
        for (field, keyword) in fields {
            guard let value = metadata.string(field) else { continue }
            if keyword == "dbname" { _ = connection.take("database") }
            connection.set(keyword, value)
        }
        if let database = connection.take("database"), connection.value("dbname") == nil {
            connection.set("dbname", database)
        }
        guard !connection.pairs.isEmpty else {
            throw DriverError(
                .invalidArgument,
                "\(metadata.component): metadata \"connectionString\" is required (or the fields host, user, password, database)"
            )
        }
        return connection
    }

    private mutating func readFields(_ metadata: ComponentMetadata, mode: String?) throws {
        let second = GoDuration(nanoseconds: 1_000_000_000)
        if let value = try metadata.duration(PostgreSQLKey.timeout, PostgreSQLKey.timeoutInSeconds) {
            guard value >= second else {
                let (key, text) = metadata.lookup([PostgreSQLKey.timeout, PostgreSQLKey.timeoutInSeconds]) ?? ("", "")
                throw metadata.invalid(key, text, expected: "a duration of 1s or more (Dapr: must be greater than 1s)")
            }
            timeout = value
        }
        // Dapr applies maxConns only above 1; here 1 is honoured too (one connection is a valid pool).
        if let count = try metadata.int(PostgreSQLKey.maxConns), count >= 1 { pool.maxConns = min(count, 1024) }
        if let idle = try metadata.duration(PostgreSQLKey.connectionMaxIdleTime), idle.nanoseconds > 0 {
            pool.maxConnIdleTime = idle
        }
        pool.minConns = min(pool.minConns, pool.maxConns)
        let text = metadata.string(PostgreSQLKey.queryExecMode) ?? mode ?? ""
        let modes = ["cache_statement", "cache_describe", "describe_exec", "exec", "simple_protocol"]
        guard text.isEmpty || modes.contains(text) else {
            throw DriverError(.invalidArgument, "\(component): invalid queryExecMode metadata value: \(text)")
        }
        simpleProtocol = text == "simple_protocol"
    }

    /// Keywords libpq knows pass through; others become `-c key=value` in `options`, after
    /// which come the session settings the result decoder relies on (see ResultEncoder).
    private static func libpqKeywords(_ connection: ConnectionString, component: String) throws -> [(
        key: String, value: String
    )] {
        var keywords: [(key: String, value: String)] = []
        var options: [String] = []
        for (key, value) in connection.pairs {
            if key == "options" {
                options.append(value)
            } else if key == "client_encoding" {
                continue  // always UTF8, as pgx requires
            } else if libpqKnows.contains(key) {
                keywords.append((key, value))
            } else {
                guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
                    throw DriverError(
                        .invalidArgument, "\(component): connectionString: invalid connection option \"\(key)\"")
                }
                options.append("-c \(key)=\(escapedOption(value))")
            }
        }
        options += ["-c DateStyle=ISO", "-c IntervalStyle=postgres", "-c extra_float_digits=3"]
        keywords.append(("options", options.joined(separator: " ")))
        keywords.append(("client_encoding", "UTF8"))
        return keywords
    }

    /// libpq's `options` splits on spaces unless escaped with a backslash.
    private static func escapedOption(_ value: String) -> String {
        var out = ""
        for character in value {
            if character == " " || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// Every keyword this libpq accepts (PQconndefaults: no I/O).
    static let libpqKnows: Set<String> = {
        var known: Set<String> = []
        guard let options = PQconndefaults() else { return known }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            known.insert(String(cString: keyword))
            option += 1
        }
        return known
    }()
}
