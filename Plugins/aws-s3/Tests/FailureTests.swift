import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import S3Driver

/// Signatures checked by the server, and the server going away and coming back.
@Suite struct FailureTests {
    @Test func aWrongSecretIsRefusedWithSignatureDoesNotMatchAndTheRightOneWorks() async throws {
        let server = try await ServerProcess.moto(checkingSignatures: true)
        let keys = try server.motoCredentials()
        let bucket = bucketName("auth")
        try server.createBucket(bucket)

        let good = try await startedDriver(
            server, bucket: bucket, ["accessKey": keys.accessKey, "secretKey": keys.secretKey])
        defer { Task { await good.stop() } }
        // Plain keys only: moto's own verifier miscomputes percent-encoded paths (drivers-wave.md).
        _ = try await good.call("create", "\"signed\"", ["key": "plain-key.txt", "presignTTL": "5m"])
        #expect(try await good.call("get", "", ["key": "plain-key.txt"])?.text == "signed")
        #expect(try await good.call("list")?.text.contains("plain-key.txt") == true)
        _ = try await good.call("bulkCreate", "{\"items\": [{\"key\": \"bulk-key\", \"data\": \"b\"}]}")
        #expect(try await good.call("bulkDelete", "{\"keys\": [\"bulk-key\"]}")?.text == "[{\"key\":\"bulk-key\"}]")
        // Presigned URLs are not fetched here: moto's signature check reads only the Authorization
        // header and answers 500 to a presigned request (boto3's own URLs too); ObjectTests fetch them.

        let bad = try await startedDriver(
            server, bucket: bucket, ["accessKey": keys.accessKey, "secretKey": keys.secretKey + "x"])
        defer { Task { await bad.stop() } }
        for (operation, data) in [("create", "\"x\""), ("get", ""), ("list", "")] {
            let message = try #require(await bad.failure(operation, data, ["key": "plain-key.txt"]), "\(operation)")
            #expect(message.contains("StatusCode: 403"), "\(message)")
            #expect(message.contains("SignatureDoesNotMatch"), "\(message)")
        }
    }

    @Test func requestsFailClearlyWhileTheServerIsDownAndWorkWhenItIsBack() async throws {
        let server = try await ServerProcess.moto()
        let bucket = bucketName("restart")
        try server.createBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        _ = try await driver.call("create", "\"before\"", ["key": "k"])

        server.stop()
        let message = try #require(await driver.failure("get", "", ["key": "k"]))
        #expect(
            message.hasPrefix("s3 binding error: error downloading S3 object: operation error S3: GetObject"),
            "\(message)")
        #expect(message.contains("request send failed"), "\(message)")
        var code: DriverError.Code?
        do { _ = try await driver.call("create", "\"x\"", ["key": "k"]) } catch let error as DriverError {
            code = error.code
        }
        #expect(code == .unavailable)

        // moto keeps state in memory: the restarted server has no bucket until it is made again.
        try await server.start()
        try server.createBucket(bucket)
        _ = try await driver.call("create", "\"after\"", ["key": "k"])
        #expect(try await driver.call("get", "", ["key": "k"])?.text == "after")
    }
}
