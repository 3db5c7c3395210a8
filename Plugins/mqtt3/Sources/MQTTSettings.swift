import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); request keys match exactly.
enum MQTTKey {
    static let url = "url"
    static let topic = "topic"
    static let consumerID = "consumerID"
    static let retain = "retain"
    static let cleanSession = "cleanSession"
    static let backOffMaxRetries = "backOffMaxRetries"
    static let qos = "qos"
    static let caCert = "caCert"
    static let clientCert = "clientCert"
    static let clientKey = "clientKey"
}

/// The component configuration of one `bindings.mqtt3` instance, checked at create (no I/O).
struct MQTTSettings: Sendable {
    var url: BrokerURL
    var topic: String
    var consumerID: String
    var retain: Bool
    /// Dapr's code default is false (a persistent session: the broker keeps unacknowledged
    /// messages for the consumer while it is away); its metadata.yaml says true, the code wins.
    var cleanSession: Bool
    /// -1: retry forever; 0: never retry (Dapr's code default).
    var backOffMaxRetries: Int
    var caCert: String?
    var clientCert: String?
    var clientKey: String?

    /// `<consumerID>-producer`, the client id of the output connection (as Dapr).
    var producerClientID: String { consumerID + "-producer" }
    /// `<consumerID>-consumer`, the client id of the input connection (as Dapr).
    var consumerClientID: String { consumerID + "-consumer" }

    init(_ configuration: DriverConfiguration) throws {
        var values: [String: String] = [:]
        for (key, value) in configuration.metadata where !value.isEmpty { values[key.lowercased()] = value }
        func value(_ key: String) -> String? { values[key.lowercased()] }
        let component = configuration.componentName
        func required(_ key: String) throws -> String {
            guard let text = value(key) else {
                throw DriverError(.invalidArgument, "\(component): metadata \"\(key)\" is required")
            }
            return text
        }
        func invalid(_ key: String, _ text: String, _ expected: String) -> DriverError {
            DriverError(.invalidArgument, "\(component): metadata \"\(key)\" is \"\(text)\", expected \(expected)")
        }

        let urlText = try required(MQTTKey.url)
        guard let url = BrokerURL(urlText) else {
            throw invalid(MQTTKey.url, BrokerURL.redact(urlText),
                "tcp://, mqtt://, ssl://, mqtts://, tcps:// or tls:// followed by [user:password@]host[:port]")
        }
        self.url = url
        topic = try required(MQTTKey.topic)
        consumerID = try required(MQTTKey.consumerID)
        retain = value(MQTTKey.retain).map(MQTTSettings.isTruthy) ?? false
        cleanSession = value(MQTTKey.cleanSession).map(MQTTSettings.isTruthy) ?? false
        if let text = value(MQTTKey.backOffMaxRetries) {
            guard let count = Int(text.trimmingASCIISpaces()), count >= -1 else {
                throw invalid(MQTTKey.backOffMaxRetries, text, "an integer: -1 (forever), 0 (no retry) or a count")
            }
            backOffMaxRetries = count
        } else {
            backOffMaxRetries = 0
        }
        caCert = value(MQTTKey.caCert)
        clientCert = value(MQTTKey.clientCert)
        clientKey = value(MQTTKey.clientKey)
        for (key, pem, label) in [(MQTTKey.caCert, caCert, "CERTIFICATE"), (MQTTKey.clientCert, clientCert, "CERTIFICATE"),
                                  (MQTTKey.clientKey, clientKey, "PRIVATE KEY")] {
            if let pem, !(pem.contains("-----BEGIN") && pem.contains("\(label)-----")) {
                throw DriverError(.invalidArgument, "\(component): metadata \"\(key)\" holds no PEM \(label) block")
            }
        }
        if (clientCert == nil) != (clientKey == nil) {
            throw DriverError(.invalidArgument, "\(component): metadata \"clientCert\" and \"clientKey\" must be set together")
        }
    }

    /// Dapr's `IsTruthy`: y, yes, true, t, on, 1 (any case, surrounding spaces ignored).
    static func isTruthy(_ text: String) -> Bool {
        ["y", "yes", "true", "t", "on", "1"].contains(text.trimmingASCIISpaces().lowercased())
    }
}

extension BrokerURL {
    /// `text` with whatever sits between "://" and "@" hidden (it may hold a password).
    static func redact(_ text: String) -> String {
        guard let start = text.firstRange(of: "://"), let at = text.lastIndex(of: "@"), at > start.upperBound else { return text }
        return String(text[..<start.upperBound]) + "***" + String(text[at...])
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
