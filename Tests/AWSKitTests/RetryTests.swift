import AWSSigning
import CurlTransport
import DriverJSON
import DriverTesting
import Foundation
import Testing

@testable import AWSKit

/// What is retried and what is not, against a server that answers from a script: moto never
/// throttles or fails with a 5xx, and these answers decide whether a message is sent twice.
@Suite struct RetryTests {
    static let throttled = #"{"__type":"com.amazonaws.sqs#ThrottlingException","message":"Rate exceeded"}"#
    static let unavailable = #"{"__type":"com.amazonaws.sqs#ServiceUnavailable","message":"try later"}"#

    /// A started scripted server answering `script` ([status, body] per request, the last repeating).
    static func server(_ script: [(Int, String)]) async throws -> ServerProcess {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/scripted_server.py"
        let server = try await ServerProcess.started {
            try ServerProcess(name: "scripted", program: "/usr/bin/env") { port, directory in
                let entries = script.map { [$0.0, $0.1] as [Any] }
                try JSONSerialization.data(withJSONObject: entries).write(
                    to: URL(fileURLWithPath: "\(directory)/script.json"))
                return ["python3", path, String(port), directory]
            }
        }
        return server
    }

    static func requests(_ server: ServerProcess) -> Int {
        ((try? String(contentsOfFile: "\(server.directory)/requests.log", encoding: .utf8)) ?? "")
            .split(separator: "\n").count
    }

    static func client(_ server: ServerProcess, baseDelay: Int = 10, attempts: Int = 3) throws -> AWSClient {
        let client = AWSClient(
            configuration: AWSConfiguration(
                region: "us-east-1", credentials: Credentials(accessKeyID: "AK", secretAccessKey: "SK"),
                endpoint: server.endpointURL),
            service: .sqs, component: "jobs",
            retry: AWSRetryPolicy(maxAttempts: attempts, baseDelayMilliseconds: baseDelay))
        try client.start()
        return client
    }

    @Test func throttlingAndServerErrorsAreRetriedUntilTheCallSucceeds() async throws {
        let server = try await Self.server([
            (400, Self.throttled), (503, Self.unavailable), (200, #"{"MessageId":"m1"}"#),
        ])
        let client = try Self.client(server)
        let reply = try await client.json("AmazonSQS.SendMessage", .object([]), version: .v10)
        #expect(reply["MessageId"]?.string == "m1")
        #expect(Self.requests(server) == 3)
        await client.stop()
    }

    @Test func aWriteThatMayHaveBeenAppliedIsNotRetried() async throws {
        let server = try await Self.server([(500, Self.unavailable), (200, "{}")])
        let client = try Self.client(server)
        let error = try await #require(throws: AWSError.self) {
            _ = try await client.json("AmazonSQS.SendMessage", .object([]), version: .v10, idempotent: false)
        }
        #expect(error.statusCode == 500 && error.attempts == 1 && Self.requests(server) == 1, "\(error)")
        await client.stop()
    }

    @Test func aThrottledWriteIsRetriedBecauseItWasNotApplied() async throws {
        let server = try await Self.server([(400, Self.throttled), (200, #"{"MessageId":"m2"}"#)])
        let client = try Self.client(server)
        let reply = try await client.json("AmazonSQS.SendMessage", .object([]), version: .v10, idempotent: false)
        #expect(reply["MessageId"]?.string == "m2" && Self.requests(server) == 2)
        await client.stop()
    }

    @Test func noRetryStartsPastTheRequestsTimeout() async throws {
        let server = try await Self.server([(503, Self.unavailable)])
        // Ten attempts allowed, backoffs of up to 1 s, 2 s, 4 s…: within a 300 ms timeout only
        // the first few can start (ten would need nine backoffs adding up to under 300 ms).
        let client = try Self.client(server, baseDelay: 1000, attempts: 10)
        let error = try await #require(throws: AWSError.self) {
            _ = try await client.json("AmazonSQS.ListQueues", .object([]), version: .v10, timeoutMilliseconds: 300)
        }
        // The last attempt gets what is left (at least 100 ms): the 503 again, or, on a loaded
        // machine, its own timeout.
        #expect(error.statusCode == 503 || error.transport?.kind == .timeout, "\(error)")
        #expect(error.attempts < 10 && Self.requests(server) <= error.attempts, "\(error)")
        await client.stop()
    }

    @Test func aCertificateFailureIsNotRetried() {
        var tls = CurlError(.failed, "Post \"https://sqs.local/\": SSL certificate problem: self-signed certificate")
        tls.isTLSFailure = true
        #expect(!AWSError(transport: tls).isRetryable)
        tls.isTLSFailure = false
        #expect(AWSError(transport: tls).isRetryable, "the same failure without TLS in it is")
    }
}
