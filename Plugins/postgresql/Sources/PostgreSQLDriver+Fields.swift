import DriverKit

extension PostgreSQLDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal).
    static let fields: [MetadataField] = [
        // Not declared required: Dapr also accepts the older name `url`, or the separate fields
        // alone, and the host's check knows no aliases; create refuses a component with none.
        MetadataField(
            PostgreSQLKey.connectionString, sensitive: true,
            description:
                "Key/value (\"host=… user=… password=… dbname=…\") or URL (\"postgres://user:password@host:5432/dbname\") connection string; pgx's pool_* parameters are honoured."
        ),
        MetadataField(
            PostgreSQLKey.url, sensitive: true, description: "Older name of connectionString, still accepted by Dapr."),
        MetadataField(
            PostgreSQLKey.timeout, .duration, default: "20s",
            description: "Longest time to open a connection (and, at start, to ping the server); at least 1s."),
        MetadataField(
            PostgreSQLKey.timeoutInSeconds, .duration, description: "Older name of timeout, still accepted by Dapr."),
        MetadataField(
            PostgreSQLKey.maxConns, .int, default: "0",
            description:
                "Most connections in the pool; 0 or less: pool_max_conns from the connection string, else the greater of 4 and the number of CPUs."
        ),
        MetadataField(
            PostgreSQLKey.connectionMaxIdleTime, .duration,
            description:
                "Idle time after which an unused connection is closed. Default: pool_max_conn_idle_time, else 30m."
        ),
        MetadataField(
            PostgreSQLKey.queryExecMode,
            .enumeration(["cache_statement", "cache_describe", "describe_exec", "exec", "simple_protocol"]),
            description:
                "pgx's query mode. Every mode sends params as bound parameters; simple_protocol also lets a request without params run several statements."
        ),
        MetadataField(PostgreSQLKey.host, description: "Server host name; overrides the connection string's."),
        MetadataField(PostgreSQLKey.hostaddr, description: "Server IP address; overrides the connection string's."),
        MetadataField(PostgreSQLKey.port, description: "Server port; overrides the connection string's."),
        MetadataField(PostgreSQLKey.database, description: "Database name; overrides the connection string's."),
        MetadataField(PostgreSQLKey.user, description: "User name; overrides the connection string's."),
        MetadataField(
            PostgreSQLKey.password, sensitive: true, description: "Password; overrides the connection string's."),
        MetadataField(
            PostgreSQLKey.sslRootCert, description: "Path of the CA certificate file (libpq's sslrootcert)."),
        MetadataField(
            PostgreSQLKey.useAzureAD, .bool, default: "false",
            description: "Must be false: Azure AD authentication is not supported, so true is refused at create."),
        MetadataField(
            PostgreSQLKey.useAWSIAM, .bool, default: "false",
            description: "Must be false: AWS IAM authentication is not supported, so true is refused at create."),
    ]
}
