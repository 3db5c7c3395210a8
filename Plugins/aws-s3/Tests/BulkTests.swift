import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import S3Driver

/// bulkCreate, bulkGet and bulkDelete against moto: items succeed or fail one by one, in order.
@Suite struct BulkTests {
    @Test func bulkCreateThenBulkGetThenBulkDelete() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("bulk")
        try server.createBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let folder = try temporaryDirectory("s3-bulk")
        try Data("from a file".utf8).write(to: URL(fileURLWithPath: "\(folder)/in.txt"))

        let created = try #require(
            try await driver.call(
                "bulkCreate",
                """
                {"items": [{"key": "one", "data": "1", "contentType": "text/plain"}, {"key": "two words", "data": "2"},
                           {"key": "file", "filePath": "\(folder)/in.txt"}, {"key": ""}, {"key": "nothing"}],
                 "concurrency": 2}
                """))
        let base = "\(server.endpointURL)/\(bucket)"
        #expect(
            created.text
                == "[{\"key\":\"one\",\"location\":\"\(base)/one\"},{\"key\":\"two words\",\"location\":\"\(base)/two%20words\"},{\"key\":\"file\",\"location\":\"\(base)/file\"},{\"key\":\"\",\"error\":\"key is required\"},{\"key\":\"nothing\",\"error\":\"either data or filePath is required\"}]"
        )
        #expect(Set(try server.keys(bucket)) == ["one", "two words", "file"])
        #expect(try server.head(bucket, "one")["ContentType"] as? String == "text/plain")

        let got = try #require(
            try await driver.call(
                "bulkGet",
                "{\"items\": [{\"key\": \"one\"}, {\"key\": \"missing\"}, {\"key\": \"file\", \"filePath\": \"\(folder)/out.txt\"}, {\"key\": \"two words\"}]}"
            ))
        #expect(
            got.text
                == "[{\"key\":\"one\",\"data\":\"1\"},{\"key\":\"missing\",\"error\":\"object not found\"},{\"key\":\"file\"},{\"key\":\"two words\",\"data\":\"2\"}]"
        )
        #expect(try String(contentsOfFile: "\(folder)/out.txt", encoding: .utf8) == "from a file")
        let encoded = try #require(
            try await driver.call("bulkGet", "{\"items\": [{\"key\": \"one\"}]}", ["encodeBase64": "true"]))
        #expect(encoded.text == "[{\"key\":\"one\",\"data\":\"MQ==\"}]")

        let deleted = try #require(
            try await driver.call("bulkDelete", "{\"keys\": [\"one\", \" \", \"one\", \"two words\", \"never there\"]}")
        )
        #expect(
            deleted.text
                == "[{\"key\":\"one\"},{\"key\":\" \",\"error\":\"key is required\"},{\"key\":\"one\"},{\"key\":\"two words\"},{\"key\":\"never there\"}]"
        )
        #expect(try server.keys(bucket) == ["file"])
    }

    @Test func decodeBase64AppliesToEveryBulkItem() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("bulk64")
        try server.createBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket, ["decodeBase64": "true"])
        defer { Task { await driver.stop() } }
        let created = try #require(
            try await driver.call(
                "bulkCreate", "{\"items\": [{\"key\": \"a\", \"data\": \"AAEC\"}, {\"key\": \"b\", \"data\": \"%%\"}]}")
        )
        #expect(
            created.text.contains("{\"key\":\"b\",\"error\":\"illegal base64 data at input byte 0\"}"),
            "\(created.text)")
        #expect(try server.objectBytes(bucket, "a") == [0, 1, 2])
    }

    @Test func badBulkPayloadsAreRefusedAsDaprRefusesThem() async throws {
        let server = try await SharedMoto.get()
        let driver = try await startedDriver(server, bucket: "unused-bucket")
        defer { Task { await driver.stop() } }
        #expect(
            await driver.failure("bulkGet", "{\"items\": []}") == "s3 binding error: bulkGet requires at least one item"
        )
        #expect(
            await driver.failure("bulkCreate", "{\"items\": [{\"key\": \"a\", \"data\": \"x\"}], \"concurrency\": 0}")
                == "s3 binding error: concurrency must be greater than 0, got 0")
        #expect(
            await driver.failure("bulkDelete", "{\"keys\": []}")
                == "s3 binding error: bulkDelete requires at least one key")
        let notJSON = await driver.failure("bulkDelete", "not json")
        #expect(
            notJSON?.hasPrefix("s3 binding error: invalid bulkDelete payload: invalid character 'o' in literal null")
                == true,
            "\(notJSON ?? "succeeded")")
    }

    @Test func aBucketThatDoesNotExistFailsEachItem() async throws {
        let server = try await SharedMoto.get()
        let driver = try await startedDriver(server, bucket: "no-such-bulk-bucket")
        defer { Task { await driver.stop() } }
        let deleted = try #require(
            try await driver.call("bulkDelete", "{\"keys\": [\"a\", \"b\"]}")?.json as? [[String: Any]])
        #expect(deleted.count == 2)
        for item in deleted { #expect((item["error"] as? String)?.contains("NoSuchBucket") == true, "\(item)") }
        let got = try #require(
            try await driver.call("bulkGet", "{\"items\": [{\"key\": \"a\"}]}")?.json as? [[String: Any]])
        #expect((got.first?["error"] as? String)?.contains("NoSuchBucket") == true, "\(got)")
    }
}
