import DriverKit

extension KafkaDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal).
    static let fields: [MetadataField] = [
        MetadataField(
            KafkaKey.brokers, required: true, description: "Comma-separated bootstrap brokers, host:port each."),
        MetadataField(
            KafkaKey.authType,
            description:
                "none, password (SASL PLAIN or SCRAM), mtls or certificate (TLS); required unless the deprecated authRequired is set. oidc, oidc_private_key_jwt and awsiam are refused."
        ),
        MetadataField(
            KafkaKey.publishTopic,
            description: "The topic create publishes to (output); request metadata topic overrides it for that request."
        ),
        MetadataField(KafkaKey.topics, description: "Comma-separated topics the input consumes; no topics: no input."),
        MetadataField(KafkaKey.consumerGroup, description: "The consumer group of the input; consumerID when unset."),
        MetadataField(KafkaKey.consumerID, description: "Used as consumerGroup when that is unset (as Dapr)."),
        MetadataField(KafkaKey.clientID, default: "sarama", description: "Client id sent to the brokers (client.id)."),
        MetadataField(
            KafkaKey.initialOffset, .enumeration(["newest", "oldest"]), default: "newest",
            description: "Where a group with no committed offset starts: newest or oldest."),
        MetadataField(
            KafkaKey.maxMessageBytes, .int, default: "1000000",
            description: "Largest message create accepts (value, key and headers), in bytes."),
        MetadataField(
            KafkaKey.consumeRetryEnabled, .bool, default: "false",
            description:
                "Deliver a message the app failed again, per the backOff fields; false skips it (as Dapr's binding)."),
        MetadataField(
            KafkaKey.consumeRetryInterval, default: "100ms",
            description: "Wait before reconnecting to a broker after a failure (a number is milliseconds)."),
        MetadataField(
            KafkaKey.backOffPolicy, .enumeration(["constant", "exponential"]), default: "constant",
            description: "Retry interval policy for a failed message when consumeRetryEnabled is true."),
        MetadataField(
            KafkaKey.backOffDuration, .duration, default: "5s",
            description: "Constant policy: the wait between deliveries of a failed message."),
        MetadataField(
            KafkaKey.backOffInitialInterval, .duration, default: "500ms",
            description: "Exponential policy: the first wait (then x1.5 each time)."),
        MetadataField(
            KafkaKey.backOffMaxInterval, .duration, default: "60s", description: "Exponential policy: the longest wait."
        ),
        MetadataField(
            KafkaKey.backOffMaxRetries, .int, default: "-1",
            description: "How many more deliveries a failed message gets: -1 forever, 0 none."),
        MetadataField(
            KafkaKey.heartbeatInterval, .duration, default: "3s",
            description: "Consumer group heartbeat interval (heartbeat.interval.ms)."),
        MetadataField(
            KafkaKey.sessionTimeout, .duration, default: "10s",
            description: "Consumer group session timeout (session.timeout.ms)."),
        MetadataField(
            KafkaKey.version, default: "2.0.0.0",
            description: "Kafka version, used as broker.version.fallback; librdkafka negotiates API versions itself."),
        MetadataField(
            KafkaKey.compression, .enumeration(["none", "gzip", "snappy", "lz4", "zstd"]), default: "none",
            description: "Producer compression codec."),
        MetadataField(
            KafkaKey.consumerGroupRebalanceStrategy, .enumeration(["range", "sticky", "roundrobin"]), default: "range",
            description: "Partition assignment: range, roundrobin, or sticky (cooperative-sticky)."),
        MetadataField(
            KafkaKey.producerRequiredAcks, .enumeration(["all", "local", "none"]), default: "all",
            description: "Acknowledgements a produce waits for: all (-1), local (1) or none (0)."),
        MetadataField(
            KafkaKey.producerRetryMax, .int, default: "5",
            description: "How many times a failed produce is retried (message.send.max.retries)."),
        MetadataField(KafkaKey.saslUsername, description: "SASL user name (authType password)."),
        MetadataField(KafkaKey.saslPassword, sensitive: true, description: "SASL password (authType password)."),
        MetadataField(
            KafkaKey.saslMechanism, default: "PLAINTEXT",
            description: "PLAINTEXT (SASL PLAIN), SHA-256 (SCRAM-SHA-256) or SHA-512 (SCRAM-SHA-512)."),
        MetadataField(
            KafkaKey.authRequired, .bool,
            description: "Deprecated: true means password (with saslPassword) or mtls, false none; authType wins."),
        MetadataField(
            KafkaKey.caCert, description: "PEM CA certificate(s) the brokers' certificates are checked against."),
        MetadataField(KafkaKey.clientCert, description: "PEM client certificate (authType mtls); needs clientKey."),
        MetadataField(KafkaKey.clientKey, sensitive: true, description: "PEM private key of clientCert."),
        MetadataField(
            KafkaKey.skipVerify, .bool, default: "false",
            description: "Skip verifying the brokers' certificates (unsafe)."),
        MetadataField(
            KafkaKey.disableTls, .bool, default: "false", description: "Plain TCP even with authType password."),
        MetadataField(
            KafkaKey.escapeHeaders, .bool, default: "false",
            description: "URL-query-escape the key and header values delivered to the app."),
        MetadataField(
            KafkaKey.excludeHeaderMetaRegex,
            description:
                "Metadata and header names matching this regular expression are not turned into headers or metadata."),
        MetadataField(
            KafkaKey.clientConnectionTopicMetadataRefreshInterval, .duration, default: "9m",
            description: "Topic metadata refresh interval."),
        MetadataField(
            KafkaKey.clientConnectionKeepAliveInterval, .duration, default: "0",
            description: "Accepted; librdkafka enables TCP keepalive and cannot set its period."),
        MetadataField(
            KafkaKey.dialTimeout, .duration, default: "30s",
            description: "Connection set-up timeout (socket.connection.setup.timeout.ms)."),
        MetadataField(
            KafkaKey.readTimeout, .duration, default: "30s",
            description: "Request timeout; with writeTimeout, the larger is socket.timeout.ms."),
        MetadataField(KafkaKey.writeTimeout, .duration, default: "30s", description: "See readTimeout."),
        MetadataField(
            KafkaKey.metadataTimeout, .duration, default: "0",
            description: "Accepted; librdkafka bounds metadata requests by socket.timeout.ms."),
        MetadataField(
            KafkaKey.channelBufferSize, .int, default: "256", description: "Accepted; librdkafka sizes its own queues."),
        MetadataField(
            KafkaKey.consumerFetchMin, .int, default: "1",
            description: "Smallest fetch response the brokers wait for (fetch.min.bytes)."),
        MetadataField(
            KafkaKey.consumerFetchDefault, .int, default: "1048576",
            description: "Bytes fetched per partition per request (fetch.message.max.bytes)."),
        MetadataField(
            KafkaKey.schemaRegistryURL, description: "Refused: bindery has no schema registry (Avro) support."),
        MetadataField(KafkaKey.schemaRegistryAPIKey, description: "Refused with schemaRegistryURL."),
        MetadataField(
            KafkaKey.schemaRegistryAPISecret, sensitive: true, description: "Refused with schemaRegistryURL."),
        MetadataField(
            KafkaKey.schemaCachingEnabled, .bool, default: "true",
            description: "Accepted and unused (no schema registry)."),
        MetadataField(
            KafkaKey.schemaLatestVersionCacheTTL, .duration, default: "5m",
            description: "Accepted and unused (no schema registry)."),
        MetadataField(
            KafkaKey.useAvroJSON, .bool, default: "false", description: "Accepted and unused (no schema registry)."),
    ]
}
