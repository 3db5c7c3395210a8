import DaprMetadata
import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); request keys match exactly.
enum KafkaKey: String, MetadataKey {
    case brokers, authType, publishTopic, topics, consumerGroup, consumerID, clientID, initialOffset
    case maxMessageBytes, consumeRetryEnabled, consumeRetryInterval
    case backOffPolicy, backOffDuration, backOffInitialInterval, backOffMaxInterval, backOffMaxRetries
    case heartbeatInterval, sessionTimeout, version, compression, consumerGroupRebalanceStrategy
    case producerRequiredAcks, producerRetryMax
    case saslUsername, saslPassword, saslMechanism, authRequired, caCert, clientCert, clientKey, skipVerify, disableTls
    case escapeHeaders, excludeHeaderMetaRegex
    case clientConnectionTopicMetadataRefreshInterval, clientConnectionKeepAliveInterval
    case dialTimeout, readTimeout, writeTimeout, metadataTimeout
    case channelBufferSize, consumerFetchMin, consumerFetchDefault
    case schemaRegistryURL, schemaRegistryAPIKey, schemaRegistryAPISecret, schemaCachingEnabled
    case schemaLatestVersionCacheTTL, useAvroJSON
}

/// The component configuration of one `bindings.kafka` instance, checked at create (no I/O).
/// Every value that librdkafka takes is turned into its properties by `properties(for:)`.
struct KafkaSettings: Sendable {
    let component: String
    /// The bootstrap list as given (librdkafka's bootstrap.servers takes the same comma list).
    let brokers: String
    let publishTopic: String?
    /// Empty: the component has no input (Dapr logs a warning and starts none).
    let topics: [String]
    let consumerGroup: String?
    let clientID: String
    /// librdkafka's auto.offset.reset: `latest` (Dapr's newest) or `earliest` (oldest).
    let offsetReset: String
    let maxMessageBytes: Int
    /// Nil: a message the app failed is skipped (consumeRetryEnabled false, Dapr's binding default).
    let retry: RetryPolicy?
    let reconnectBackoffMilliseconds: Int64
    let heartbeatMilliseconds: Int64
    let sessionTimeoutMilliseconds: Int64
    let version: String
    let compression: String
    let assignmentStrategy: String
    /// librdkafka's acks: -1, 1 or 0.
    let acks: String
    let producerRetries: Int
    let security: KafkaSecurity
    let escapeHeaders: Bool
    let headerFilter: HeaderFilter?
    let metadataRefreshMilliseconds: Int64
    let dialTimeoutMilliseconds: Int64
    let socketTimeoutMilliseconds: Int64
    let fetchMinBytes: Int
    let fetchPartitionBytes: Int

    init(_ configuration: DriverConfiguration) throws {
        let metadata = ComponentMetadata(configuration, fields: KafkaDriver.fields)
        component = configuration.componentName
        brokers = try Self.brokerList(metadata)
        publishTopic = metadata.string(KafkaKey.publishTopic)
        topics = (metadata.string(KafkaKey.topics) ?? "").split(separator: ",").map {
            String(MetadataText.trimmed($0))
        }.filter { !$0.isEmpty }
        consumerGroup = metadata.string(KafkaKey.consumerGroup, KafkaKey.consumerID)
        clientID = metadata.string(KafkaKey.clientID) ?? "sarama"
        offsetReset = try metadata.enumeration(KafkaKey.initialOffset) == "oldest" ? "earliest" : "latest"
        maxMessageBytes = try metadata.int(KafkaKey.maxMessageBytes, range: 1...1_000_000_000) ?? 1_000_000
        retry = try metadata.bool(KafkaKey.consumeRetryEnabled) == true ? RetryPolicy(metadata) : nil
        reconnectBackoffMilliseconds = try Self.consumeRetryInterval(metadata)
        heartbeatMilliseconds = try Self.milliseconds(metadata, KafkaKey.heartbeatInterval, range: 1...3_600_000)
        sessionTimeoutMilliseconds = try Self.milliseconds(metadata, KafkaKey.sessionTimeout, range: 1...3_600_000)
        version = try Self.kafkaVersion(metadata)
        compression = try metadata.enumeration(KafkaKey.compression) ?? "none"
        assignmentStrategy =
            switch try metadata.enumeration(KafkaKey.consumerGroupRebalanceStrategy) {
            case "sticky": "cooperative-sticky"
            case "roundrobin": "roundrobin"
            default: "range"
            }
        acks =
            switch try metadata.enumeration(KafkaKey.producerRequiredAcks) {
            case "local": "1"
            case "none": "0"
            default: "-1"
            }
        producerRetries = try metadata.int(KafkaKey.producerRetryMax, range: 0...2_147_483_647) ?? 5
        security = try KafkaSecurity(metadata)
        escapeHeaders = try metadata.bool(KafkaKey.escapeHeaders) ?? false
        let name = configuration.componentName
        headerFilter = try metadata.string(KafkaKey.excludeHeaderMetaRegex).map {
            try HeaderFilter(pattern: $0, component: name)
        }
        metadataRefreshMilliseconds = try Self.milliseconds(
            metadata, KafkaKey.clientConnectionTopicMetadataRefreshInterval, range: 1...3_600_000, unset: 540_000)
        dialTimeoutMilliseconds = try Self.milliseconds(metadata, KafkaKey.dialTimeout, range: 1000...2_147_483_647)
        socketTimeoutMilliseconds = max(
            try Self.milliseconds(metadata, KafkaKey.readTimeout, range: 10...300_000),
            try Self.milliseconds(metadata, KafkaKey.writeTimeout, range: 10...300_000))
        fetchMinBytes = try metadata.int(KafkaKey.consumerFetchMin, range: 1...100_000_000) ?? 1
        fetchPartitionBytes = try metadata.int(KafkaKey.consumerFetchDefault, range: 1...1_000_000_000) ?? 1_048_576
        // Accepted as Dapr accepts them, with nothing in librdkafka to map them onto.
        _ = try metadata.duration(KafkaKey.clientConnectionKeepAliveInterval)
        _ = try metadata.duration(KafkaKey.metadataTimeout)
        _ = try metadata.int(KafkaKey.channelBufferSize)
        try Self.refuseSchemaRegistry(metadata)
    }

    /// The trimmed comma list; an error when it names no broker or a broker without a port.
    private static func brokerList(_ metadata: ComponentMetadata) throws -> String {
        let text = try metadata.required(KafkaKey.brokers)
        let brokers = text.split(separator: ",").map { String(MetadataText.trimmed($0)) }.filter { !$0.isEmpty }
        for broker in brokers {
            guard let colon = broker.lastIndex(of: ":"), colon != broker.startIndex,
                let port = Int(broker[broker.index(after: colon)...]), (1...65535).contains(port)
            else {
                throw metadata.invalid(KafkaKey.brokers, text, expected: "a comma-separated list of host:port")
            }
        }
        guard !brokers.isEmpty else {
            throw metadata.invalid(KafkaKey.brokers, text, expected: "a comma-separated list of host:port")
        }
        return brokers.joined(separator: ",")
    }

    /// A duration field in milliseconds within `range` (its default when unset).
    static func milliseconds(
        _ metadata: ComponentMetadata, _ key: KafkaKey, range: ClosedRange<Int64>, unset: Int64 = 0
    ) throws -> Int64 {
        guard let value = try metadata.duration(key) else { return unset }
        let milliseconds = value.milliseconds
        guard range.contains(milliseconds) else {
            throw metadata.invalid(
                key, metadata.string(key) ?? "",
                expected: "a duration from \(range.lowerBound)ms to \(range.upperBound)ms")
        }
        return milliseconds
    }

    /// Dapr reads a bare number as milliseconds here (not seconds, as for other durations).
    private static func consumeRetryInterval(_ metadata: ComponentMetadata) throws -> Int64 {
        guard let text = metadata.string(KafkaKey.consumeRetryInterval) else { return 100 }
        if let number = Int64(MetadataText.trimmed(text)), number >= 0 { return max(number, 1) }
        guard let value = GoDuration(parsing: text), value.nanoseconds >= 0 else {
            throw metadata.invalid(
                KafkaKey.consumeRetryInterval, text,
                expected: "a Go duration such as \"100ms\" or a number of milliseconds")
        }
        return max(value.milliseconds, 1)
    }

    /// Sarama's version syntax: `x.y.z`, or `0.x.y.z` for versions before 1.0.
    private static func kafkaVersion(_ metadata: ComponentMetadata) throws -> String {
        let text = metadata.string(KafkaKey.version) ?? "2.0.0.0"
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let numeric = parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
        guard numeric, parts.count == 3 || (parts.count == 4 && (parts[0] == "0" || parts[0] == "2" || parts[0] == "1"))
        else {
            throw metadata.invalid(
                KafkaKey.version, text, expected: "a Kafka version such as \"2.0.0\" or \"0.10.2.0\"")
        }
        return text
    }

    /// Avro through a schema registry is Dapr-only; failing at create beats failing per message.
    private static func refuseSchemaRegistry(_ metadata: ComponentMetadata) throws {
        for key in [KafkaKey.schemaRegistryURL, .schemaRegistryAPIKey, .schemaRegistryAPISecret]
        where metadata.isSet(key) {
            throw DriverError(
                .invalidArgument,
                "\(metadata.component): metadata \"\(key.rawValue)\" is set, but bindery's kafka binding has no schema registry (Avro) support; remove it"
            )
        }
    }
}
