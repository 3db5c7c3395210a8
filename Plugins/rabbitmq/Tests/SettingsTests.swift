import DaprMetadata
import DriverKit
import DriverTesting
import Testing

@testable import RabbitMQDriver

/// Configuration and request metadata read as Dapr reads them, with errors that name the
/// component and the field (no broker needed).
@Suite struct SettingsTests {
    private func settings(_ metadata: [String: String]) throws -> RabbitMQSettings {
        var all = ["host": "amqp://localhost", "queueName": "q"]
        all.merge(metadata) { $1 }
        return try RabbitMQSettings(
            DriverConfiguration(componentName: "orders", type: "bindings.rabbitmq", directions: .output, metadata: all))
    }

    private func error(_ metadata: [String: String]) -> String {
        do {
            _ = try settings(metadata)
            return "no error"
        } catch { return "\(error)" }
    }

    @Test func hostAndQueueNameAreRequired() {
        #expect(error(["host": ""]) == "orders: metadata \"host\" is required")
        #expect(error(["queueName": ""]) == "orders: metadata \"queueName\" is required")
    }

    @Test func malformedURLIsRejectedWithoutShowingThePassword() {
        let message = error(["host": "http://admin:s3cret@broker:5672"])
        #expect(message.contains("orders") && message.contains("\"host\"") && message.contains("amqp://"))
        #expect(!message.contains("s3cret"))
        #expect(error(["host": "amqp://broker:notaport"]).contains("\"host\""))
    }

    @Test func urlDefaultsFollowRabbitMQsURISpec() throws {
        let plain = try settings(["host": "amqp://broker"]).address
        #expect(plain.host == "broker" && plain.port == 5672 && plain.user == "guest" && plain.vhost == "/")
        #expect(!plain.usesTLS)
        let tls = try settings(["host": "amqps://app:p%40ss@broker/orders%2Fv1"]).address
        #expect(tls.port == 5671 && tls.usesTLS && tls.user == "app" && tls.password == "p@ss")
        #expect(tls.vhost == "orders/v1")
        #expect(tls.redacted == "amqps://***@broker/orders%2Fv1")
    }

    @Test func defaultsAreDaprs() throws {
        let s = try settings([:])
        #expect(!s.durable && !s.deleteWhenUnused && !s.exclusive && s.prefetchCount == 0)
        #expect(s.queueTTLMilliseconds == nil && s.maxPriority == nil && s.contentType == "text/plain")
        #expect(s.reconnectWait == GoDuration(nanoseconds: 5_000_000_000) && !s.externalSasl)
    }

    @Test func ttlAndItsAliasTtlInSecondsSetTheQueueTTL() throws {
        #expect(try settings(["ttl": "90s"]).queueTTLMilliseconds == 90_000)
        #expect(try settings(["ttlInSeconds": "60"]).queueTTLMilliseconds == 60_000)
        #expect(try settings(["TTLINSECONDS": "1m"]).queueTTLMilliseconds == 60_000)
        #expect(
            error(["ttl": "soon"])
                == "orders: metadata \"ttl\": failed to parse TTL: ttl value must be a valid integer: actual is 'soon'")
        #expect(error(["ttlInSeconds": "-5"]).contains("ttl value must be higher than zero: actual is '-5'"))
    }

    @Test func numbersAndFlagsAreChecked() throws {
        #expect(try settings(["maxPriority": "300"]).maxPriority == 255)
        #expect(try settings(["maxPriority": "10"]).maxPriority == 10)
        #expect(error(["maxPriority": "high"]).contains("\"maxPriority\""))
        #expect(try settings(["prefetchCount": "25"]).prefetchCount == 25)
        #expect(error(["prefetchCount": "many"]).contains("\"prefetchCount\" is \"many\""))
        #expect(error(["durable": "maybe"]).contains("\"durable\""))
        #expect(try settings(["reconnectWaitInSeconds": "10"]).reconnectWait == GoDuration(nanoseconds: 10_000_000_000))
        #expect(try settings(["externalSasl": "yes", "contentType": "application/json"]).externalSasl)
    }

    @Test func certificatesMustBePEM() {
        #expect(error(["caCert": "not a cert"]).contains("\"caCert\": invalid ca certificate"))
        let pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        #expect(error(["clientCert": pem]).contains("must be set together"))
    }

    @Test func requestMetadataBecomesDaprsProperties() throws {
        let request = InvokeRequest(
            operation: "create", data: Array("x".utf8),
            metadata: [
                "ttlInSeconds": "60", "priority": "300", "ContentType": "application/json", "messageID": "m1",
                "correlationID": "c1", "type": "order", "custom": "v",
            ])
        let publication = try Publication(request, component: "orders", defaultContentType: "text/plain")
        #expect(publication.expiration == "60000" && publication.priority == 255)
        #expect(publication.contentType == "application/json" && publication.messageID == "m1")
        #expect(publication.correlationID == "c1" && publication.type == "order")
        #expect(publication.headers.count == 7)
        let plain = try Publication(
            InvokeRequest(operation: "create", metadata: ["ttl": "1500ms", "priority": "-3"]), component: "orders",
            defaultContentType: "text/csv")
        #expect(plain.expiration == "1500" && plain.priority == 0 && plain.contentType == "text/csv")
    }

    @Test func badRequestMetadataIsRejected() {
        func failure(_ metadata: [String: String], size: Int = 1) -> String {
            do {
                _ = try Publication(
                    InvokeRequest(operation: "create", data: [UInt8](repeating: 1, count: size), metadata: metadata),
                    component: "orders", defaultContentType: "text/plain")
                return "no error"
            } catch { return error.message }
        }
        #expect(failure(["priority": "high"]) == "orders: priority value must be a valid integer: actual is 'high'")
        #expect(
            failure(["ttlInSeconds": "-5"]).hasPrefix("orders: failed to get TTL: ttl value must be higher than zero"))
        #expect(failure([:], size: Publication.maximumBodySize + 1).contains("exceeds RabbitMQ's maximum message size"))
    }

    @Test func headerKeysAreEscapedAsGosQueryEscape() {
        #expect(Delivery.queryEscape("trace-id_1.x~") == "trace-id_1.x~")
        #expect(Delivery.queryEscape("a key/é") == "a+key%2F%C3%A9")
    }

    @Test func unknownOperationIsRefusedInDaprsWords() async throws {
        let driver = try RabbitMQDriver(
            configuration: DriverConfiguration(
                componentName: "orders", type: "bindings.rabbitmq", directions: .output,
                metadata: ["host": "amqp://localhost", "queueName": "q"])
        ) { _, _ in }
        let error = await driverError { _ = try await driver.invoke(InvokeRequest(operation: "get")) }
        #expect(error?.code == .unsupported)
        #expect(error?.message == "binding rabbitmq does not support operation get. supported operations: create")
    }
}
