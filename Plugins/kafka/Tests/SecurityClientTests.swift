import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import KafkaDriver

/// TLS and SASL cannot be exercised against the mock cluster (its listeners are plaintext only):
/// these tests build real librdkafka clients from the settings, which loads and checks the PEM
/// material and the SASL configuration without connecting anywhere.
@Suite struct SecurityClientTests {
    /// A self-signed certificate and its key, made with openssl.
    private func certificate() throws -> (cert: String, key: String) {
        let folder = try TemporaryDirectory("kafka-tls")
        try shell(
            "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=bindery-test -keyout key.pem -out cert.pem 2>/dev/null",
            in: folder.path)
        return (
            String(decoding: try folder.read("cert.pem"), as: UTF8.self),
            String(decoding: try folder.read("key.pem"), as: UTF8.self)
        )
    }

    private func client(_ metadata: [String: String]) throws -> KafkaClient {
        var all = ["brokers": "127.0.0.1:9093", "publishTopic": "t"]
        all.merge(metadata) { $1 }
        let driver = try makeDriver(all, .output)
        return try KafkaClient(
            driver.settings, role: .producer, events: ClientEvents(component: "kafka", log: { _, _ in }))
    }

    @Test func mtlsClientLoadsTheCertificates() throws {
        let (cert, key) = try certificate()
        let made = try client(["authType": "mtls", "caCert": cert, "clientCert": cert, "clientKey": key])
        #expect(made.settings.properties(for: .producer).contains { $0 == ("security.protocol", "ssl") })
        #expect(made.settings.properties(for: .producer).contains { $0.0 == "ssl.key.pem" })
    }

    @Test func aCertificateThatDoesNotParseIsRefusedAtCreate() throws {
        let (_, key) = try certificate()
        let broken = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
        #expect(throws: DriverError.self) {
            _ = try client(["authType": "mtls", "clientCert": broken, "clientKey": key])
        }
        do {
            _ = try client(["authType": "mtls", "clientCert": broken, "clientKey": key])
        } catch let error as DriverError {
            #expect(error.message.hasPrefix("kafka: "), "\(error.message)")
            #expect(!error.message.contains("BEGIN PRIVATE KEY"), "the key is never quoted")
        }
    }

    @Test func saslClientsAreBuiltForEachMechanism() throws {
        for mechanism in ["PLAINTEXT", "SHA-256", "SHA-512"] {
            _ = try client([
                "authType": "password", "saslUsername": "u", "saslPassword": "secret", "saslMechanism": mechanism,
            ])
        }
        let (cert, _) = try certificate()
        _ = try client(["authType": "certificate", "caCert": cert, "skipVerify": "true"])
    }
}
