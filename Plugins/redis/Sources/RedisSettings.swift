import DaprMetadata
import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); request keys `key` and `delete` match exactly, `ttlInSeconds`/`ttl` in any case.
enum RedisKey: String, MetadataKey {
    case redisHost, redisUsername, redisPassword, redisDB, redisType, enableTLS, failover
    case dialTimeout, readTimeout, writeTimeout, poolSize
    case redisMaxRetries, redisMinRetryInterval, redisMaxRetryInterval
    /// Older spellings of redisMaxRetries and redisMaxRetryInterval, still read by Dapr.
    case maxRetries, maxRetryBackoff
    /// Request metadata.
    case key, delete, ttlInSeconds, ttl
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
        let metadata = ComponentMetadata(configuration, fields: RedisDriver.fields)
        let hostText = try metadata.required(RedisKey.redisHost)
        guard !hostText.contains(",") else {
            throw metadata.invalid(
                RedisKey.redisHost, hostText, expected: "one host:port (Redis Cluster is not supported by this driver)")
        }
        guard let (host, port) = RedisSettings.splitHostPort(hostText) else {
            throw metadata.invalid(RedisKey.redisHost, hostText, expected: "host:port, e.g. \"localhost:6379\"")
        }
        self.host = host
        self.port = port
        username = metadata.string(RedisKey.redisUsername)
        password = metadata.string(RedisKey.redisPassword)
        database = try metadata.int(RedisKey.redisDB, range: 0...Int(Int32.max)) ?? 0
        if try metadata.enumeration(RedisKey.redisType) == "cluster" {
            throw metadata.invalid(
                RedisKey.redisType, metadata.string(RedisKey.redisType) ?? "",
                expected: "\"node\" (Redis Cluster is not supported by this driver)")
        }
        for (key, why) in [
            (RedisKey.failover, "false (Sentinel failover is not supported by this driver)"),
            (
                RedisKey.enableTLS,
                "false: Debian's hiredis 0.14, which this driver links, has no TLS support; reach a TLS-only server through a local TLS tunnel (stunnel)"
            ),
        ] {
            if try metadata.bool(key) == true { throw metadata.invalid(key, metadata.string(key) ?? "", expected: why) }
        }
        try readTimeouts(metadata)
    }

    /// The durations and counts; go-redis's rules for 0 and negative values.
    private mutating func readTimeouts(_ metadata: ComponentMetadata) throws {
        let zero = GoDuration(nanoseconds: 0)
        if let dial = try metadata.duration(RedisKey.dialTimeout, minimum: zero), dial.nanoseconds > 0 {
            dialTimeout = dial
        }
        // go-redis: 0 means the default (3s), negative means no limit; writeTimeout defaults to readTimeout.
        if let read = try metadata.duration(RedisKey.readTimeout), read.nanoseconds != 0 {
            readTimeout = read.nanoseconds < 0 ? nil : read
        }
        writeTimeout = readTimeout
        if let write = try metadata.duration(RedisKey.writeTimeout), write.nanoseconds != 0 {
            writeTimeout = write.nanoseconds < 0 ? nil : write
        }
        poolSize = try metadata.int(RedisKey.poolSize, range: 1...64) ?? poolSize
        maxRetries = max(
            0, try metadata.int(RedisKey.redisMaxRetries, RedisKey.maxRetries, range: -1...100) ?? maxRetries)
        minRetryInterval = try metadata.duration(RedisKey.redisMinRetryInterval, minimum: zero) ?? minRetryInterval
        maxRetryInterval =
            try metadata.duration(RedisKey.redisMaxRetryInterval, RedisKey.maxRetryBackoff, minimum: zero)
            ?? maxRetryInterval
        if maxRetryInterval < minRetryInterval { maxRetryInterval = minRetryInterval }
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
}
