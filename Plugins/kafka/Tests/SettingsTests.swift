import DriverKit
import DriverTesting
import Testing

@testable import KafkaDriver

/// The component metadata as Dapr reads it, and the librdkafka properties it becomes.
@Suite struct SettingsTests {
    private func settings(_ extra: [String: String]) throws -> KafkaSettings {
        var metadata = ["brokers": "127.0.0.1:9092", "authType": "none"]
        metadata.merge(extra) { $1 }
        return try makeDriver(metadata, [.input, .output]).settings
    }

    private func error(_ extra: [String: String], brokers: String? = "127.0.0.1:9092") -> String? {
        var metadata = ["authType": "none"]
        if let brokers { metadata["brokers"] = brokers }
        metadata.merge(extra) { $1 }
        do {
            _ = try makeDriver(metadata, [.input, .output])
            return nil
        } catch {
            return (error as? DriverError)?.message ?? "\(error)"
        }
    }

    private func property(_ settings: KafkaSettings, _ role: KafkaSettings.Role, _ name: String) -> String? {
        settings.properties(for: role).first { $0.0 == name }?.1
    }

    @Test func defaultsAreDaprs() throws {
        let s = try settings([:])
        #expect(s.clientID == "sarama")
        #expect(s.offsetReset == "latest")
        #expect(s.maxMessageBytes == 1_000_000)
        #expect(s.retry == nil, "the binding disables consume retry by default")
        #expect(property(s, .consumer, "heartbeat.interval.ms") == "3000")
        #expect(property(s, .consumer, "session.timeout.ms") == "10000")
        #expect(property(s, .consumer, "enable.auto.commit") == "false")
        #expect(property(s, .consumer, "partition.assignment.strategy") == "range")
        #expect(property(s, .producer, "acks") == "-1")
        #expect(property(s, .producer, "compression.codec") == "none")
        #expect(property(s, .producer, "security.protocol") == "plaintext")
        #expect(property(s, .producer, "partitioner") == "fnv1a_random")
    }

    @Test func fieldsMapOntoLibrdkafka() throws {
        let s = try settings([
            "initialOffset": "oldest", "sessionTimeout": "6s", "heartbeatInterval": "500ms", "compression": "zstd",
            "producerRequiredAcks": "local", "consumerGroupRebalanceStrategy": "sticky", "clientID": "orders",
            "consumeRetryInterval": "250", "producerRetryMax": "2", "consumerGroup": "g", "topics": "a, b,,c",
            "consumerFetchMin": "10", "dialTimeout": "5s",
        ])
        #expect(s.topics == ["a", "b", "c"])
        #expect(property(s, .consumer, "auto.offset.reset") == "earliest")
        #expect(property(s, .consumer, "session.timeout.ms") == "6000")
        #expect(property(s, .consumer, "heartbeat.interval.ms") == "500")
        #expect(property(s, .consumer, "partition.assignment.strategy") == "cooperative-sticky")
        #expect(property(s, .consumer, "group.id") == "g")
        #expect(property(s, .consumer, "fetch.min.bytes") == "10")
        #expect(property(s, .producer, "compression.codec") == "zstd")
        #expect(property(s, .producer, "acks") == "1")
        #expect(property(s, .producer, "client.id") == "orders")
        #expect(property(s, .producer, "reconnect.backoff.ms") == "250", "a bare number is milliseconds, as in Dapr")
        #expect(property(s, .producer, "message.send.max.retries") == "2")
        #expect(property(s, .producer, "socket.connection.setup.timeout.ms") == "5000")
        #expect(try settings(["consumerID": "app-id"]).consumerGroup == "app-id", "consumerID stands in for the group")
    }

    @Test func retryPolicyFollowsTheBackOffFields() throws {
        #expect(
            try settings(["consumeRetryEnabled": "true"]).retry
                == RetryPolicy(shape: .constant(milliseconds: 5000), maxRetries: -1))
        let exponential = try #require(
            try settings([
                "consumeRetryEnabled": "true", "backOffPolicy": "exponential", "backOffInitialInterval": "100ms",
                "backOffMaxInterval": "1s", "backOffMaxRetries": "5",
            ]).retry)
        #expect((1...6).map { exponential.delay(beforeRetry: $0) } == [100, 150, 225, 337, 506, nil])
    }

    @Test func authTypesBecomeSecurityProperties() throws {
        let password = try settings([
            "authType": "password", "saslUsername": "u", "saslPassword": "p", "saslMechanism": "SHA-512",
        ])
        #expect(property(password, .producer, "security.protocol") == "sasl_ssl")
        #expect(property(password, .producer, "sasl.mechanisms") == "SCRAM-SHA-512")
        #expect(property(password, .producer, "sasl.username") == "u")
        let plain = try settings([
            "authType": "password", "saslUsername": "u", "saslPassword": "p", "disableTls": "true",
        ])
        #expect(property(plain, .producer, "security.protocol") == "sasl_plaintext")
        #expect(property(plain, .producer, "sasl.mechanisms") == "PLAIN")
        let legacy = try settings(["authType": "", "authRequired": "true", "saslUsername": "u", "saslPassword": "p"])
        #expect(legacy.security.auth == .password, "authRequired with a password is password auth, as Dapr upgrades it")
        #expect(try settings(["authType": "", "authRequired": "false"]).security.auth == .none)
    }

    @Test func badMetadataIsRefusedNamingComponentAndField() {
        #expect(error([:], brokers: nil) == "kafka: metadata \"brokers\" is required")
        #expect(
            error([:], brokers: "localhost")
                == "kafka: metadata \"brokers\" is \"localhost\", expected a comma-separated list of host:port")
        #expect(
            error(["authType": ""]) == "kafka: metadata \"authType\" is required (none, password, mtls or certificate)")
        #expect(error(["authType": "kerberos"])?.contains("\"authType\" is \"kerberos\"") == true)
        #expect(
            error(["authType": "password", "saslPassword": "p"])
                == "kafka: missing SASL Username for authType 'password'")
        #expect(
            error(["authType": "password", "saslUsername": "u"])
                == "kafka: missing SASL Password for authType 'password'")
        #expect(
            error(["authType": "password", "saslUsername": "u", "saslPassword": "p", "saslMechanism": "GSSAPI"])?
                .contains("\"saslMechanism\" is \"GSSAPI\"") == true)
        #expect(error(["initialOffset": "middle"])?.contains("\"initialOffset\" is \"middle\"") == true)
        #expect(error(["compression": "brotli"])?.contains("\"compression\" is \"brotli\"") == true)
        #expect(error(["producerRequiredAcks": "some"])?.contains("\"producerRequiredAcks\" is \"some\"") == true)
        #expect(
            error(["version": "two"])
                == "kafka: metadata \"version\" is \"two\", expected a Kafka version such as \"2.0.0\" or \"0.10.2.0\"")
        #expect(error(["sessionTimeout": "soon"])?.contains("\"sessionTimeout\" is \"soon\"") == true)
        #expect(
            error(["excludeHeaderMetaRegex": "(["])?.hasPrefix("kafka: metadata \"excludeHeaderMetaRegex\" is \"([\"")
                == true)
        #expect(error(["maxMessageBytes": "0"])?.contains("\"maxMessageBytes\" is \"0\"") == true)
        #expect(error(["topics": "a,b"]) == "kafka: metadata \"consumerGroup\" is required to consume topics a,b")
    }

    @Test func whatBinderyCannotDoIsRefused() {
        for auth in ["oidc", "oidc_private_key_jwt", "awsiam"] {
            #expect(
                error(["authType": auth])?.hasPrefix(
                    "kafka: authType \"\(auth)\" is not supported by bindery's kafka binding") == true)
        }
        #expect(
            error(["schemaRegistryURL": "http://registry:8081"])?.contains("no schema registry (Avro) support") == true)
    }

    @Test func mtlsNeedsPEMsAndRefusesDisableTls() {
        #expect(
            error(["authType": "mtls", "clientCert": "nope", "clientKey": "nope"])
                == "kafka: metadata \"clientCert\" holds no PEM CERTIFICATE block")
        #expect(
            error(["authType": "mtls", "disableTls": "true"])
                == "kafka: cannot configure mTLS authentication when disableTls is 'true'")
        #expect(
            error(["authType": "certificate"])
                == "kafka: missing CA certificate property 'caCert' for authType 'certificate'")
    }
}
