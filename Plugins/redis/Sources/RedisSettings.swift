import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); request keys `key` and `delete` match exactly, `ttlInSeconds`/`ttl` in any case.
enum RedisKey {
    static let redisHost = "redisHost"
    static let redisUsername = "redisUsername"
    static let redisPassword = "redisPassword"
    static let redisDB = "redisDB"
    static let redisType = "redisType"
    static let enableTLS = "enableTLS"
    static let failover = "failover"
    static let dialTimeout = "dialTimeout"
    static let readTimeout = "readTimeout"
    static let writeTimeout = "writeTimeout"
    static let poolSize = "poolSize"
    static let redisMaxRetries = "redisMaxRetries"
    static let redisMinRetryInterval = "redisMinRetryInterval"
    static let redisMaxRetryInterval = "redisMaxRetryInterval"
    /// Older spellings of redisMaxRetries and redisMaxRetryInterval, still read by Dapr.
    static let maxRetries = "maxRetries"
    static let maxRetryBackoff = "maxRetryBackoff"

    /// Request metadata.
    static let key = "key"
    static let delete = "delete"
    static let ttlInSeconds = "ttlInSeconds"
    static let ttl = "ttl"
}

/// The component configuration of one `bindings.redis` instance, checked at create (no I/O).
struct RedisSettings: Sendable {
    var host: String
    var port: Int32
    var username: String?
    var password: String?
    var database: Int
    var dialTimeout = GoDuration(nanoseconds: 5_000_000_000)
    /// nil: no limit (a negative value, as in go-redis).
    var readTimeout: GoDuration? = GoDuration(nanoseconds: 3_000_000_000)
    var writeTimeout: GoDuration? = GoDuration(nanoseconds: 3_000_000_000)
    var poolSize = 2
    /// How often a request whose connection broke is sent again (idempotent operations only).
    var maxRetries = 3
    var minRetryInterval = GoDuration(nanoseconds: 8_000_000)
    var maxRetryInterval = GoDuration(nanoseconds: 512_000_000)

    /// `host:port` as configured, for messages.
    var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    init(_ configuration: DriverConfiguration) throws {
        var values: [String: String] = [:]
        for (key, value) in configuration.metadata where !value.isEmpty { values[key.lowercased()] = value }
        let name = configuration.componentName
        func value(_ keys: String...) -> (key: String, text: String)? {
            for key in keys { if let text = values[key.lowercased()] { return (key, text) } }
            return nil
        }
        func invalid(_ key: String, _ text: String, _ expected: String) -> DriverError {
            DriverError(.invalidArgument, "\(name): metadata \"\(key)\" is \"\(text)\", expected \(expected)")
        }
        /// Nanoseconds of the first key present; negative only when `allowNegative`.
        func duration(_ keys: String..., allowNegative: Bool = false) throws -> Int64? {
            guard let (key, text) = keys.lazy.compactMap({ value($0) }).first else { return nil }
            guard let parsed = GoDuration(parsing: text), allowNegative || parsed.nanoseconds >= 0 else {
                throw invalid(key, text, "a Go duration such as \"500ms\" or \"5s\", or a number of seconds")
            }
            return parsed.nanoseconds
        }
        func integer(_ keys: String..., range: ClosedRange<Int>) throws -> Int? {
            guard let (key, text) = keys.lazy.compactMap({ value($0) }).first else { return nil }
            guard let number = Int(text), range.contains(number) else {
                throw invalid(key, text, "a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }

        guard let (_, hostText) = value(RedisKey.redisHost) else {
            throw DriverError(.invalidArgument, "\(name): metadata \"redisHost\" is required")
        }
        guard !hostText.contains(",") else {
            throw invalid(RedisKey.redisHost, hostText, "one host:port (Redis Cluster is not supported by this driver)")
        }
        guard let (host, port) = RedisSettings.splitHostPort(hostText) else {
            throw invalid(RedisKey.redisHost, hostText, "host:port, e.g. \"localhost:6379\"")
        }
        self.host = host
        self.port = port
        username = value(RedisKey.redisUsername)?.text
        password = value(RedisKey.redisPassword)?.text
        database = try integer(RedisKey.redisDB, range: 0...Int(Int32.max)) ?? 0

        if let (key, text) = value(RedisKey.redisType), text.lowercased() != "node" {
            throw invalid(key, text, "\"node\" (Redis Cluster is not supported by this driver)")
        }
        if let (key, text) = value(RedisKey.failover), RedisSettings.isTruthy(text) {
            throw invalid(key, text, "false (Sentinel failover is not supported by this driver)")
        }
        if let (key, text) = value(RedisKey.enableTLS), RedisSettings.isTruthy(text) {
            throw invalid(key, text,
                "false: Debian's hiredis 0.14, which this driver links, has no TLS support; reach a TLS-only server through a local TLS tunnel (stunnel)")
        }

        if let dial = try duration(RedisKey.dialTimeout), dial > 0 { dialTimeout = GoDuration(nanoseconds: dial) }
        // go-redis: 0 means the default (3s), negative means no limit; writeTimeout defaults to readTimeout.
        if let read = try duration(RedisKey.readTimeout, allowNegative: true), read != 0 {
            readTimeout = read < 0 ? nil : GoDuration(nanoseconds: read)
        }
        writeTimeout = readTimeout
        if let write = try duration(RedisKey.writeTimeout, allowNegative: true), write != 0 {
            writeTimeout = write < 0 ? nil : GoDuration(nanoseconds: write)
        }
        poolSize = try integer(RedisKey.poolSize, range: 1...64) ?? poolSize
        maxRetries = max(0, try integer(RedisKey.redisMaxRetries, RedisKey.maxRetries, range: -1...100) ?? maxRetries)
        if let minimum = try duration(RedisKey.redisMinRetryInterval) { minRetryInterval = GoDuration(nanoseconds: minimum) }
        if let maximum = try duration(RedisKey.redisMaxRetryInterval, RedisKey.maxRetryBackoff) {
            maxRetryInterval = GoDuration(nanoseconds: maximum)
        }
        if maxRetryInterval.nanoseconds < minRetryInterval.nanoseconds { maxRetryInterval = minRetryInterval }
    }

    /// `host:port` or `[v6]:port`; a missing port is 6379 (go-redis's default).
    static func splitHostPort(_ text: String) -> (String, Int32)? {
        var host = Substring(text)
        var portText: Substring = "6379"
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
        } else if let colon = host.lastIndex(of: ":") {
            guard host.firstIndex(of: ":") == colon else { return nil }
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }),
            let port = Int32(portText), (1...65535).contains(port)
        else { return nil }
        return (String(host), port)
    }

    /// Dapr's `IsTruthy`: y, yes, true, t, on, 1 (any case, surrounding spaces ignored).
    static func isTruthy(_ text: String) -> Bool {
        let trimmed = text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        return ["y", "yes", "true", "t", "on", "1"].contains(String(trimmed).lowercased())
    }
}
