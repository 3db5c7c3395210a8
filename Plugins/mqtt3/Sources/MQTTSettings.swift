import DaprMetadata
import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); request keys match exactly.
enum MQTTKey: String, MetadataKey {
    case url, topic, consumerID, retain, cleanSession, backOffMaxRetries, qos, caCert, clientCert, clientKey
}

/// The component configuration of one `bindings.mqtt3` instance, checked at create (no I/O).
struct MQTTSettings: Sendable {
    let url: BrokerURL
    /// The input's subscription filter, and the output's topic unless a request names one.
    let topic: String
    /// The client id prefix (see `producerClientID` and `consumerClientID`).
    let consumerID: String
    /// Whether published messages are retained; a request's `retain` overrides it.
    let retain: Bool
    /// Dapr's code default is false (a persistent session: the broker keeps unacknowledged
    /// messages for the consumer while it is away); its metadata.yaml says true, the code wins.
    let cleanSession: Bool
    /// -1: retry forever; 0: never retry (Dapr's code default).
    let backOffMaxRetries: Int
    /// PEM text each, checked to hold a block of the right kind; written to files in `start`.
    let pem: (caCert: String?, clientCert: String?, clientKey: String?)

    /// `<consumerID>-producer`, the client id of the output connection (as Dapr).
    var producerClientID: String { consumerID + "-producer" }
    /// `<consumerID>-consumer`, the client id of the input connection (as Dapr).
    var consumerClientID: String { consumerID + "-consumer" }

    init(_ configuration: DriverConfiguration) throws {
        let metadata = ComponentMetadata(configuration, fields: MQTTDriver.fields)
        let urlText = try metadata.required(MQTTKey.url)
        guard let url = BrokerURL(urlText) else {
            throw metadata.invalid(
                MQTTKey.url, BrokerURL.redact(urlText),
                expected: "tcp://, mqtt://, ssl://, mqtts://, tcps:// or tls:// followed by [user:password@]host[:port]"
            )
        }
        self.url = url
        topic = try metadata.required(MQTTKey.topic)
        consumerID = try metadata.required(MQTTKey.consumerID)
        retain = try metadata.bool(MQTTKey.retain) ?? false
        cleanSession = try metadata.bool(MQTTKey.cleanSession) ?? false
        backOffMaxRetries = try metadata.int(MQTTKey.backOffMaxRetries, range: -1...Int.max) ?? 0
        let (caCert, clientCert, clientKey) = (
            metadata.string(MQTTKey.caCert), metadata.string(MQTTKey.clientCert), metadata.string(MQTTKey.clientKey)
        )
        pem = (caCert, clientCert, clientKey)
        let component = configuration.componentName
        for (key, pem, label) in [
            (MQTTKey.caCert, caCert, "CERTIFICATE"), (MQTTKey.clientCert, clientCert, "CERTIFICATE"),
            (MQTTKey.clientKey, clientKey, "PRIVATE KEY"),
        ] {
            if let pem, !(pem.contains("-----BEGIN") && pem.contains("\(label)-----")) {
                throw DriverError(
                    .invalidArgument, "\(component): metadata \"\(key.rawValue)\" holds no PEM \(label) block")
            }
        }
        if (clientCert == nil) != (clientKey == nil) {
            throw DriverError(
                .invalidArgument, "\(component): metadata \"clientCert\" and \"clientKey\" must be set together")
        }
    }
}

extension BrokerURL {
    /// `text` with whatever sits between "://" and "@" hidden (it may hold a password).
    static func redact(_ text: String) -> String {
        guard let start = text.firstRange(of: "://"), let at = text.lastIndex(of: "@"), at > start.upperBound else {
            return text
        }
        return String(text[..<start.upperBound]) + "***" + String(text[at...])
    }
}
