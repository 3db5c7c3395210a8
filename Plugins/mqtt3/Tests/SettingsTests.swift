import DriverKit
import Testing

@testable import MQTTDriver

/// Component metadata: Dapr's names, case-insensitive keys, defaults and clear errors.
@Suite struct SettingsTests {
    private func settings(_ metadata: [String: String]) throws -> MQTTSettings {
        try MQTTSettings(
            DriverConfiguration(componentName: "m", type: "bindings.mqtt3", directions: [.output], metadata: metadata))
    }

    private let minimal = ["url": "tcp://broker:1883", "topic": "t", "consumerID": "app"]

    @Test func defaultsFollowDaprCode() throws {
        let s = try settings(minimal)
        #expect(s.retain == false)
        #expect(s.cleanSession == false)
        #expect(s.backOffMaxRetries == 0)
        #expect(s.producerClientID == "app-producer")
        #expect(s.consumerClientID == "app-consumer")
    }

    @Test func keysAreCaseInsensitive() throws {
        let s = try settings([
            "URL": "mqtt://h", "Topic": "t", "CONSUMERID": "c", "Retain": "yes", "cleansession": "1",
            "BackOffMaxRetries": "-1",
        ])
        #expect(s.retain && s.cleanSession)
        #expect(s.backOffMaxRetries == -1)
        #expect(s.url.port == 1883)
    }

    @Test(arguments: [
        ("tcp://h:1884", "h", 1884, false), ("ssl://h", "h", 8883, true), ("mqtts://u:p%40ss@h:9", "h", 9, true),
        ("tls://[::1]:8884", "::1", 8884, true), ("MQTT://H", "H", 1883, false),
    ])
    func urlsParse(text: String, host: String, port: Int, tls: Bool) throws {
        let url = try #require(BrokerURL(text))
        #expect(url.host == host)
        #expect(Int(url.port) == port)
        #expect(url.usesTLS == tls)
    }

    @Test func credentialsAreDecodedAndRedacted() throws {
        let url = try #require(BrokerURL("tcp://user:p%40ss@h:1"))
        #expect(url.username == "user")
        #expect(url.password == "p@ss")
        #expect(url.redacted == "tcp://user:***@h:1")
    }

    @Test(arguments: ["http://h", "tcp://", "tcp://h:0", "tcp://h:x", "h:1883"])
    func badURLsAreRejectedWithoutThePassword(text: String) {
        #expect(throws: DriverError.self) { try settings(["url": text, "topic": "t", "consumerID": "c"]) }
    }

    @Test func missingRequiredKeysAreNamed() {
        for key in ["url", "topic", "consumerID"] {
            var metadata = minimal
            metadata[key] = nil
            let error = #expect(throws: DriverError.self) { try settings(metadata) }
            #expect(error?.message == "m: metadata \"\(key)\" is required")
        }
        let error = #expect(throws: DriverError.self) {
            try settings(minimal.merging(["backOffMaxRetries": "-2"]) { $1 })
        }
        #expect(error?.message.contains("backOffMaxRetries") == true)
        let password = #expect(throws: DriverError.self) {
            try settings(minimal.merging(["url": "http://u:secret@h"]) { $1 })
        }
        #expect(password?.message.contains("secret") == false)
    }

    @Test func tlsMaterialMustBePEMAndPaired() {
        #expect(throws: DriverError.self) { try settings(minimal.merging(["caCert": "/etc/ca.pem"]) { $1 }) }
        let cert = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"
        #expect(throws: DriverError.self) { try settings(minimal.merging(["clientCert": cert]) { $1 }) }
    }
}
