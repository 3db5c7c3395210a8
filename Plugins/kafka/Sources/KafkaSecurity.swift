import DriverKit

/// How the clients authenticate and encrypt: Dapr's `authType` and its fields, as librdkafka's
/// security.protocol, sasl.* and ssl.* properties.
///
/// As in Dapr (common/component/kafka/auth.go): TLS is on for every authType but `none`, unless
/// `disableTls`; `password` is SASL PLAIN or SCRAM; `mtls` presents a client certificate;
/// `certificate` is TLS checked against `caCert` only. OAuth (oidc, oidc_private_key_jwt) and
/// AWS IAM are refused: bindery cannot fetch their tokens.
struct KafkaSecurity: Sendable, Equatable {
    enum Auth: String, Sendable { case none, password, mtls, certificate }

    let auth: Auth
    let tls: Bool
    /// SASL mechanism for `password`: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.
    let mechanism: String?
    let username: String?
    let password: String?
    let caCert: String?
    let clientCert: String?
    let clientKey: String?
    let skipVerify: Bool

    init(_ metadata: ComponentMetadata) throws {
        let component = metadata.component
        auth = try Self.authType(metadata)
        let disableTLS = try metadata.bool(KafkaKey.disableTls) ?? false
        tls = auth != .none && !disableTLS
        skipVerify = try metadata.bool(KafkaKey.skipVerify) ?? false
        caCert = try Self.pem(metadata, .caCert, "CERTIFICATE")
        switch auth {
        case .password:
            guard let user = metadata.string(KafkaKey.saslUsername) else {
                throw DriverError(.invalidArgument, "\(component): missing SASL Username for authType 'password'")
            }
            guard let password = metadata.string(KafkaKey.saslPassword) else {
                throw DriverError(.invalidArgument, "\(component): missing SASL Password for authType 'password'")
            }
            (username, self.password) = (user, password)
            mechanism = try Self.mechanism(metadata)
        default:
            (username, password, mechanism) = (nil, nil, nil)
        }
        if auth == .mtls {
            if disableTLS {
                throw DriverError(
                    .invalidArgument, "\(component): cannot configure mTLS authentication when disableTls is 'true'")
            }
            clientCert = try Self.pem(metadata, .clientCert, "CERTIFICATE")
            clientKey = try Self.pem(metadata, .clientKey, "PRIVATE KEY")
            if (clientCert == nil) != (clientKey == nil) {
                throw DriverError(.invalidArgument, "\(component): clientKey or clientCert is missing")
            }
        } else {
            (clientCert, clientKey) = (nil, nil)
        }
        if auth == .certificate, caCert == nil {
            throw DriverError(
                .invalidArgument, "\(component): missing CA certificate property 'caCert' for authType 'certificate'")
        }
    }

    /// `authType`, or what the deprecated `authRequired` stands for (Dapr's upgradeMetadata).
    private static func authType(_ metadata: ComponentMetadata) throws -> Auth {
        let component = metadata.component
        guard let text = metadata.string(KafkaKey.authType) else {
            guard let required = try metadata.bool(KafkaKey.authRequired) else {
                throw DriverError(
                    .invalidArgument,
                    "\(component): metadata \"authType\" is required (none, password, mtls or certificate)")
            }
            return !required ? .none : metadata.string(KafkaKey.saslPassword) != nil ? .password : .mtls
        }
        switch text.lowercased() {
        case "none": return .none
        case "password": return .password
        case "mtls": return .mtls
        case "certificate": return .certificate
        case "oidc", "oidc_private_key_jwt", "awsiam":
            throw DriverError(
                .unsupported,
                "\(component): authType \"\(text)\" is not supported by bindery's kafka binding (it cannot obtain OAuth or AWS IAM tokens); use none, password, mtls or certificate"
            )
        default:
            throw metadata.invalid(
                KafkaKey.authType, text, expected: "one of \"none\", \"password\", \"mtls\", \"certificate\"")
        }
    }

    /// Dapr's `SHA-256` and `SHA-512` are SCRAM; anything else there is PLAIN, which would send
    /// the password in a mechanism the operator did not ask for: bindery refuses unknown names.
    private static func mechanism(_ metadata: ComponentMetadata) throws -> String {
        let text = metadata.string(KafkaKey.saslMechanism) ?? "PLAINTEXT"
        switch text.uppercased() {
        case "SHA-256", "SCRAM-SHA-256": return "SCRAM-SHA-256"
        case "SHA-512", "SCRAM-SHA-512": return "SCRAM-SHA-512"
        case "PLAINTEXT", "PLAIN": return "PLAIN"
        default:
            throw metadata.invalid(
                KafkaKey.saslMechanism, text, expected: "\"PLAINTEXT\" (SASL PLAIN), \"SHA-256\" or \"SHA-512\" (SCRAM)"
            )
        }
    }

    /// The PEM text of `key`, checked to hold a block of kind `label` (as Dapr's isValidPEM).
    private static func pem(_ metadata: ComponentMetadata, _ key: KafkaKey, _ label: String) throws -> String? {
        guard let text = metadata.string(key) else { return nil }
        guard text.contains("-----BEGIN"), text.contains("\(label)-----") else {
            throw DriverError(
                .invalidArgument, "\(metadata.component): metadata \"\(key.rawValue)\" holds no PEM \(label) block")
        }
        return text
    }
}
