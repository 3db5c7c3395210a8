import DriverKit
import DriverTesting
import Testing

@testable import RabbitMQDriver

/// amqps against the shared broker's TLS listener: the broker's certificate checked against
/// caCert, a client certificate, and SASL EXTERNAL (the user taken from the certificate).
@Suite struct TLSTests {
    @Test func amqpsWithCaCertPublishesAndConsumes() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("tls")
        let tls = [
            "host": "amqps://guest:guest@localhost:\(broker.amqpsPort)",
            "caCert": try broker.rabbitMQCertificate("ca.pem"),
        ]
        let app = App()
        let consumer = try await input(broker, queue: queue, app: app, tls)
        defer { Task { await consumer.stop() } }
        let producer = try await output(broker, queue: queue, tls)
        defer { Task { await producer.stop() } }
        try await publish(producer, "secret")
        try await eventually("the message over TLS", timeout: .seconds(30)) { app.bodies == ["secret"] }
    }

    @Test func clientCertificateWithExternalSaslLogsInAsItsCommonName() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let queue = ServerProcess.uniqueQueueName("mtls")
        let producer = try await output(
            broker, queue: queue,
            [
                // A wrong password: only SASL EXTERNAL (the certificate) can log this in.
                "host": "amqps://guest:wrong@localhost:\(broker.amqpsPort)",
                "caCert": try broker.rabbitMQCertificate("ca.pem"),
                "clientCert": try broker.rabbitMQCertificate("client.pem"),
                "clientKey": try broker.rabbitMQCertificate("client.key"), "externalSasl": "true",
            ])
        defer { Task { await producer.stop() } }
        try await publish(producer, "by certificate")
        #expect(try await AMQPTool.get(broker, queue)?["body"] == "by certificate")
    }

    @Test func anUntrustedBrokerCertificateFailsStart() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let driver = try makeDriver(
            broker, .output, queue: "q", ["host": "amqps://guest:guest@localhost:\(broker.amqpsPort)"])
        let error = await driverError { try await driver.start() }
        #expect(error?.message.hasPrefix("orders: cannot connect to RabbitMQ at amqps://***@localhost") == true)
        await driver.stop()
    }
}
