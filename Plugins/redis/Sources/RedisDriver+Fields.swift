import DriverKit

extension RedisDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal).
    static let fields: [MetadataField] = [
        MetadataField(
            RedisKey.redisHost, required: true,
            description: "Address of the Redis server as host:port (a missing port means 6379), e.g. localhost:6379."),
        MetadataField(
            RedisKey.redisUsername,
            description: "ACL user name sent with AUTH (Redis 6 and later); needs redisPassword."),
        MetadataField(
            RedisKey.redisPassword, sensitive: true,
            description: "Password sent with AUTH on every new connection. Default: no AUTH."),
        MetadataField(
            RedisKey.redisDB, .int, default: "0",
            description: "Database number selected with SELECT on every new connection."),
        MetadataField(
            RedisKey.redisType, .enumeration(["node", "cluster"]), default: "node",
            description: "Only node (one server) is supported; cluster is refused at create."),
        MetadataField(
            RedisKey.enableTLS, .bool, default: "false",
            description: "Must be false: Debian's hiredis 0.14 has no TLS support, so true is refused at create."),
        MetadataField(
            RedisKey.failover, .bool, default: "false",
            description: "Must be false: Sentinel failover is not supported, so true is refused at create."),
        MetadataField(
            RedisKey.dialTimeout, .duration, default: "5s",
            description:
                "Longest time to connect and complete AUTH, SELECT and PING: a Go duration such as 5s, or whole seconds."
        ),
        MetadataField(
            RedisKey.readTimeout, .duration, default: "3s",
            description:
                "Longest wait for a reply on a busy connection before it is dropped and re-dialled; negative: no limit."
        ),
        MetadataField(
            RedisKey.writeTimeout, .duration,
            description:
                "Longest time pending commands may wait to be written before the connection is dropped. Default: readTimeout."
        ),
        MetadataField(
            RedisKey.poolSize, .int, default: "2",
            description:
                "Number of connections (1 to 64); requests are pipelined on them, so a few carry many concurrent requests."
        ),
        // No declared default for a field with an older name: the host fills in declared
        // defaults, and a filled-in redisMaxRetries would hide a component's maxRetries.
        MetadataField(
            RedisKey.redisMaxRetries, .int,
            description:
                "How often create, get and delete are sent again when their connection breaks; -1 or 0: never. Default: 3."
        ),
        MetadataField(
            RedisKey.redisMinRetryInterval, .duration, default: "8ms",
            description: "First pause before re-dialling after a failed connection attempt; doubles on each failure."),
        MetadataField(
            RedisKey.redisMaxRetryInterval, .duration,
            description: "Longest pause between connection attempts while the server is down. Default: 512ms."),
        MetadataField(
            RedisKey.maxRetries, .int,
            description: "Older name of redisMaxRetries, accepted for Dapr compatibility."),
        MetadataField(
            RedisKey.maxRetryBackoff, .duration,
            description: "Older name of redisMaxRetryInterval, accepted for Dapr compatibility."),
    ]
}
