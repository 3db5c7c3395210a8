import AWSKit
import AWSSigning
import DriverJSON
import DriverKit
import DriverTesting
import Foundation
import Testing

/// The client's three wire formats, its signatures, errors and retries, against a real moto server.
@Suite struct ClientTests {
    static func client(
        _ server: ServerProcess, _ service: AWSService, secret: String? = nil,
        retry: AWSRetryPolicy = AWSRetryPolicy(baseDelayMilliseconds: 10)
    ) throws -> AWSClient {
        let keys = server.name == "moto-auth" ? try server.motoCredentials() : ("testing", "testing")
        let configuration = AWSConfiguration(
            region: "us-east-1",
            credentials: Credentials(accessKeyID: keys.0, secretAccessKey: secret ?? keys.1),
            endpoint: server.endpointURL)
        let client = AWSClient(configuration: configuration, service: service, component: "orders", retry: retry)
        try client.start()
        return client
    }

    @Test func jsonProtocolCallsSQS() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let sqs = try Self.client(moto, .sqs)
        let created = try await sqs.json(
            "AmazonSQS.CreateQueue", .object(["QueueName": .string("jobs")]), version: .v10)
        let url = try #require(created["QueueUrl"]?.string)
        #expect(url.hasSuffix("/jobs"))
        _ = try await sqs.json(
            "AmazonSQS.SendMessage", .object(["QueueUrl": .string(url), "MessageBody": .string("héllo & <you>")]),
            version: .v10)
        let received = try await sqs.json(
            "AmazonSQS.ReceiveMessage", .object(["QueueUrl": .string(url), "WaitTimeSeconds": .number("1")]),
            version: .v10)
        #expect(received["Messages"]?.array?.first?["Body"]?.string == "héllo & <you>")
        await sqs.stop()
    }

    @Test func queryProtocolCallsSNS() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let sns = try Self.client(moto, .sns)
        let topic = ServerProcess.uniqueName("alerts")
        let reply = try await sns.query("CreateTopic", version: "2010-03-31", [("Name", topic)])
        #expect(reply.name == "CreateTopicResponse")
        let arn = try #require(reply.first(named: "TopicArn")?.text)
        #expect(arn == "arn:aws:sns:us-east-1:123456789012:\(topic)")
        let published = try await sns.query(
            "Publish", version: "2010-03-31", [("TopicArn", arn), ("Message", "a+b=c & d")])
        #expect(published.first(named: "MessageId")?.text.isEmpty == false)
        await sns.stop()
    }

    @Test func restCallsS3AndPresignedURLsWorkWithPlainCurl() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let s3 = try Self.client(moto, .s3)
        _ = try await s3.rest(
            AWSRequest(method: "PUT", path: "/photos", sendsContentHash: true), action: "CreateBucket")
        let key = "/photos/" + URIEncoding.encode("a dir/ünï+code=1.txt", keepingSlash: true)
        _ = try await s3.rest(
            AWSRequest(
                method: "PUT", path: key, headers: [(name: "Content-Type", value: "text/plain")],
                body: Array("contents".utf8), sendsContentHash: true),
            action: "PutObject")
        let got = try await s3.rest(AWSRequest(method: "GET", path: key, sendsContentHash: true), action: "GetObject")
        #expect(String(decoding: got.body, as: UTF8.self) == "contents")
        #expect(got.header("content-type") == "text/plain")
        let url = s3.presignedURL(method: "GET", path: key, expires: 300)
        #expect(url.hasPrefix("\(moto.endpointURL)\(key)?X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
        let fetched = try run("/usr/bin/curl", ["-sS", "--fail", url])
        #expect(fetched.status == 0 && fetched.stdout == "contents", "\(fetched.stderr)")
        await s3.stop()
    }

    @Test func serviceErrorsCarryCodeMessageAndRequestID() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let s3 = try Self.client(moto, .s3)
        let error = try await #require(throws: AWSError.self) {
            _ = try await s3.rest(
                AWSRequest(method: "GET", path: "/nobucket/key", sendsContentHash: true), action: "GetObject")
        }
        #expect(error.code == "NoSuchBucket" && error.statusCode == 404 && error.isNotFound)
        #expect(error.attempts == 1, "a 404 is not retried")
        let reported = error.driverError("orders")
        #expect(reported.code == .notFound)
        #expect(
            reported.message.hasPrefix(
                "orders: operation error S3: GetObject, https response error StatusCode: 404, RequestID: "),
            "\(reported.message)")
        #expect(reported.message.hasSuffix("api error NoSuchBucket: The specified bucket does not exist"))
        let sqs = try Self.client(moto, .sqs)
        let missing = try await #require(throws: AWSError.self) {
            _ = try await sqs.json("AmazonSQS.GetQueueUrl", .object(["QueueName": .string("absent")]), version: .v10)
        }
        #expect(missing.code == "QueueDoesNotExist" || missing.code == "AWS.SimpleQueueService.NonExistentQueue")
        #expect(missing.isNotFound, "\(missing)")
        await s3.stop()
        await sqs.stop()
    }

    @Test func aWrongSecretIsRefusedWithSignatureDoesNotMatch() async throws {
        let moto = try await ServerProcess.moto(checkingSignatures: true)
        let good = try Self.client(moto, .sqs)
        _ = try await good.json("AmazonSQS.CreateQueue", .object(["QueueName": .string("signed")]), version: .v10)
        let bad = try Self.client(moto, .sqs, secret: "not the secret")
        let error = try await #require(throws: AWSError.self) {
            _ = try await bad.json("AmazonSQS.CreateQueue", .object(["QueueName": .string("other")]), version: .v10)
        }
        #expect(error.code == "SignatureDoesNotMatch" && error.statusCode == 403, "\(error)")
        #expect(error.driverError("orders").code == .invalidArgument)
        #expect(error.description.contains("The request signature we calculated does not match"), "\(error)")
        await good.stop()
        await bad.stop()
    }

    @Test func aServerThatIsDownIsTriedThreeTimesThenReported() async throws {
        let moto = try await ServerProcess.moto()
        let sqs = try Self.client(moto, .sqs)
        moto.stop()
        let error = try await #require(throws: AWSError.self) {
            _ = try await sqs.json("AmazonSQS.ListQueues", .object([]), version: .v10)
        }
        #expect(error.attempts == 3 && error.statusCode == 0 && error.isRetryable)
        #expect(
            error.description.hasPrefix(
                "operation error SQS: ListQueues, exceeded maximum number of attempts, 3, request send failed, "),
            "\(error)")
        #expect(error.driverError("orders").code == .unavailable)
        try await moto.start()
        let listed = try await sqs.json("AmazonSQS.ListQueues", .object([]), version: .v10)
        #expect(listed["QueueUrls"] == nil || listed["QueueUrls"]?.array?.isEmpty == true, "a restarted moto is empty")
        await sqs.stop()
    }
}
