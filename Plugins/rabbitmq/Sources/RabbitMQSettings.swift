import DaprMetadata
import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); `ttlInSeconds` is Dapr's alias of `ttl`.
enum RabbitMQKey: String, MetadataKey {
    case host, queueName, durable, deleteWhenUnused, ttl, ttlInSeconds, prefetchCount, exclusive, maxPriority
    case contentType, reconnectWaitInSeconds, caCert, clientCert, clientKey, externalSasl
}

/// The component configuration of one `bindings.rabbitmq` instance, checked at create (no I/O).
struct RabbitMQSettings: Sendable {
    let address: AMQPAddress
    let queueName: String
    let durable: Bool
    let deleteWhenUnused: Bool
    let exclusive: Bool
    /// The queue's x-message-ttl, in milliseconds; nil: messages do not expire.
    let queueTTLMilliseconds: Int64?
    /// The queue's x-max-priority; nil: not a priority queue.
    let maxPriority: UInt8?
    /// basic.qos prefetch count (0: no limit, as Dapr); also how many messages the app may hold at once (at least 1).
    let prefetchCount: Int
    /// The content type of published messages unless a request names one (Dapr: text/plain).
    let contentType: String
    let reconnectWait: GoDuration
    let pem: (caCert: String?, clientCert: String?, clientKey: String?)
    let externalSasl: Bool

    init(_ configuration: DriverConfiguration) throws {
        let metadata = ComponentMetadata(configuration, fields: RabbitMQDriver.fields)
        let component = configuration.componentName
        let hostText = try metadata.required(RabbitMQKey.host)
        guard let address = AMQPAddress(hostText) else {
            throw metadata.invalid(
                RabbitMQKey.host, AMQPAddress.redact(hostText),
                expected: "an AMQP URL: amqp:// or amqps://, then [user[:password]@]host[:port][/vhost]")
        }
        self.address = address
        queueName = try metadata.required(RabbitMQKey.queueName)
        durable = try metadata.bool(RabbitMQKey.durable) ?? false
        deleteWhenUnused = try metadata.bool(RabbitMQKey.deleteWhenUnused) ?? false
        exclusive = try metadata.bool(RabbitMQKey.exclusive) ?? false
        prefetchCount = try metadata.int(RabbitMQKey.prefetchCount, range: 0...65_535) ?? 0
        contentType = metadata.string(RabbitMQKey.contentType) ?? "text/plain"
        reconnectWait =
            try metadata.duration(RabbitMQKey.reconnectWaitInSeconds, minimum: GoDuration(nanoseconds: 1_000_000))
            ?? GoDuration(nanoseconds: 5_000_000_000)
        if let (key, text) = metadata.lookup([RabbitMQKey.ttl, RabbitMQKey.ttlInSeconds]) {
            do {
                queueTTLMilliseconds = try DaprTTL.parse(text).nanoseconds / 1_000_000
            } catch {
                throw DriverError(.invalidArgument, "\(component): metadata \"\(key)\": failed to parse TTL: \(error)")
            }
        } else {
            queueTTLMilliseconds = nil
        }
        if let text = metadata.string(RabbitMQKey.maxPriority) {
            // Dapr: strconv.ParseUint, and anything above 255 becomes 255.
            guard let value = UInt64(MetadataText.trimmed(text)) else {
                throw metadata.invalid(RabbitMQKey.maxPriority, text, expected: "a whole number from 0 to 255")
            }
            maxPriority = UInt8(min(value, 255))
        } else {
            maxPriority = nil
        }
        externalSasl = metadata.string(RabbitMQKey.externalSasl).map(MetadataText.isTruthy) ?? false
        let (caCert, clientCert, clientKey) = (
            metadata.string(RabbitMQKey.caCert), metadata.string(RabbitMQKey.clientCert),
            metadata.string(RabbitMQKey.clientKey)
        )
        pem = (caCert, clientCert, clientKey)
        for (key, pem, what) in [
            (RabbitMQKey.caCert, caCert, "ca certificate"), (RabbitMQKey.clientCert, clientCert, "client certificate"),
            (RabbitMQKey.clientKey, clientKey, "client certificate key"),
        ] {
            if let pem, !(pem.contains("-----BEGIN ") && pem.contains("-----END ")) {
                // Dapr's words ("invalid ca certificate"), with the component and the field.
                throw DriverError(
                    .invalidArgument, "\(component): metadata \"\(key.rawValue)\": invalid \(what) (no PEM block)")
            }
        }
        if (clientCert == nil) != (clientKey == nil) {
            throw DriverError(
                .invalidArgument, "\(component): metadata \"clientCert\" and \"clientKey\" must be set together")
        }
    }
}

/// Dapr's `metadata.TryGetTTL`: a Go duration (negative ones count as 0), or a whole number of
/// seconds above zero. The errors are Dapr's words.
enum DaprTTL {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws(Problem) -> GoDuration {
        if let duration = try? GoDuration(go: text) {
            return GoDuration(nanoseconds: max(duration.nanoseconds, 0))
        }
        guard let seconds = Int64(text) else {
            throw Problem(description: "ttl value must be a valid integer: actual is '\(text)'")
        }
        guard seconds > 0 else {
            throw Problem(description: "ttl value must be higher than zero: actual is '\(seconds)'")
        }
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return GoDuration(nanoseconds: overflow ? .max : nanoseconds)
    }
}
