import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import S3Driver

/// create, get, delete, list and presign against moto's S3, checked with boto3 and plain curl.
@Suite struct ObjectTests {
    @Test func createStoresTheUnquotedDataUnderTheKeyAndGetReadsItBack() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("create")
        try server.createBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }

        let created = try #require(
            try await driver.call(
                "create", "\"Hello, S3 <&>\"", ["key": "greeting.txt", "Content-Type": " text/plain "]))
        #expect(created.metadata == ["key": "greeting.txt"])
        #expect(
            created.text == "{\"location\":\"\(server.endpointURL)/\(bucket)/greeting.txt\",\"versionID\":null}")
        #expect(try server.objectBytes(bucket, "greeting.txt") == Array("Hello, S3 <&>".utf8))
        let head = try server.head(bucket, "greeting.txt")
        #expect(head["ContentType"] as? String == "text/plain")

        let got = try #require(try await driver.call("get", "", ["key": "greeting.txt"]))
        #expect(got.text == "Hello, S3 <&>")
        let encoded = try #require(try await driver.call("get", "", ["key": "greeting.txt", "encodeBase64": "true"]))
        #expect(encoded.text == "SGVsbG8sIFMzIDwmPg==")

        // A JSON object is stored as sent.
        _ = try await driver.call("create", "{\"order\": 17}", ["key": "order.json"])
        #expect(try server.objectBytes(bucket, "order.json") == Array("{\"order\": 17}".utf8))
    }

    @Test func createWithoutAKeyGeneratesAUUID() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("uuid")
        try server.createBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let created = try #require(try await driver.call("create", "\"x\""))
        let key = try #require(created.metadata["key"])
        #expect(key.count == 36 && key.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12], "\(key)")
        #expect(try server.keys(bucket) == [key])
    }

    @Test func decodeBase64StorageClassTagsAndFilePath() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("options")
        try server.createBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket, ["decodeBase64": "true"])
        defer { Task { await driver.stop() } }

        let binary: [UInt8] = [0, 1, 2, 0xFF, 0xFE, 10, 13]
        let text = String(decoding: Base64.encode(binary), as: UTF8.self)
        _ = try await driver.call(
            "create", "\"\(text)\"",
            ["key": "bin", "storageClass": "STANDARD_IA", "tags": "project=alpha, team=blue"])
        #expect(try server.objectBytes(bucket, "bin") == binary)
        let head = try server.head(bucket, "bin")
        #expect(head["StorageClass"] as? String == "STANDARD_IA")
        #expect(head["Tags"] as? [String: String] == ["project": "alpha", "team": "blue"])

        let bad = await driver.failure("create", "\"not base64!\"", ["key": "bad"])
        #expect(bad == "s3 binding error: uploading failed: illegal base64 data at input byte 3")
        let badTags = await driver.failure("create", "\"eA==\"", ["key": "t", "tags": "oops"])
        #expect(
            badTags == "s3 binding error: parsing tags falied error: invalid tag format: 'oops' (expected key=value)")

        let folder = try temporaryDirectory("s3-file")
        let file = "\(folder)/upload.bin"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: file))
        _ = try await driver.call("create", "", ["key": "from-file", "filePath": file, "decodeBase64": "false"])
        #expect(try server.objectBytes(bucket, "from-file") == [1, 2, 3])
        let missing = await driver.failure("create", "", ["key": "x", "filePath": "\(folder)/absent"])
        #expect(missing == "s3 binding error: file read error: open \(folder)/absent: no such file or directory")
    }

    @Test func keysWithSpacesUnicodeAndPlusRoundTrip() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("keys")
        try server.createBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let keys = ["a b.txt", "dir/é ü 日本.txt", "1+1=2", "odd&chars?#%.txt", "semi;colon,comma"]
        for key in keys {
            _ = try await driver.call("create", "\"\(key)\"", ["key": key])
            let got = try #require(try await driver.call("get", "", ["key": key]))
            #expect(got.text == key)
        }
        #expect(Set(try server.keys(bucket)) == Set(keys), "boto3 sees the same keys")
        let listed = try #require(try await driver.call("list")?.json as? [String: Any])
        let contents = try #require(listed["Contents"] as? [[String: Any]])
        #expect(Set(contents.compactMap { $0["Key"] as? String }) == Set(keys))
        for key in keys { #expect(try await driver.call("delete", "", ["key": key]) == nil) }
        #expect(try server.keys(bucket).isEmpty)
    }

    @Test func getAndDeleteOfAMissingKeyAnswerAsDapr() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("missing")
        try server.createBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        #expect(await driver.failure("get", "", ["key": "nothing"]) == "object not found")
        // S3 answers 204 for a key that is not there, and Dapr passes that on as success.
        #expect(try await driver.call("delete", "", ["key": "nothing"]) == nil)
        #expect(await driver.failure("get") == "s3 binding error: required metadata 'key' missing")
        #expect(await driver.failure("delete") == "s3 binding error: required metadata 'key' missing")
    }

    @Test func aBucketThatDoesNotExistIsNamedInEveryError() async throws {
        let server = try await SharedMoto.get()
        let driver = try await startedDriver(server, bucket: "no-such-bucket-here")
        defer { Task { await driver.stop() } }
        for (operation, data, step) in [
            ("create", "\"x\"", "uploading failed"), ("get", "", "error downloading S3 object"),
            ("delete", "", "delete operation failed"), ("list", "", "list operation failed"),
        ] {
            let message = try #require(await driver.failure(operation, data, ["key": "k"]), "\(operation) succeeded")
            #expect(message.hasPrefix("s3 binding error: \(step): operation error S3: "), "\(message)")
            #expect(message.contains("StatusCode: 404"), "\(message)")
            #expect(message.contains("NoSuchBucket: The specified bucket does not exist"), "\(message)")
        }
    }

    @Test func listIsShapedAsDaprMarshalsTheSDKsOutput() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("list")
        try server.createBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        for key in ["a/1", "a/2", "b/1", "c"] { _ = try await driver.call("create", "\"hello\"", ["key": key]) }

        let all = try #require(try await driver.call("list"))
        let owner =
            "{\"DisplayName\":\"webfile\",\"ID\":\"75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a\"}"
        func object(_ key: String) -> String {
            "{\"ChecksumAlgorithm\":null,\"ChecksumType\":\"\",\"ETag\":\"\\\"5d41402abc4b2a76b9719d911017c592\\\"\",\"Key\":\"\(key)\",\"LastModified\":\"T\",\"Owner\":\(owner),\"RestoreStatus\":null,\"Size\":5,\"StorageClass\":\"STANDARD\"}"
        }
        let stamped = try Regex("\"LastModified\":\"[0-9T:.Z-]+\"")
        let normalized = all.text.replacing(stamped, with: "\"LastModified\":\"T\"")
        #expect(
            normalized
                == "{\"CommonPrefixes\":null,\"Contents\":[\(["a/1", "a/2", "b/1", "c"].map(object).joined(separator: ","))],\"Delimiter\":null,\"EncodingType\":\"\",\"IsTruncated\":false,\"Marker\":null,\"MaxKeys\":1000,\"Name\":\"\(bucket)\",\"NextMarker\":null,\"Prefix\":\"\",\"RequestCharged\":\"\",\"ResultMetadata\":{}}",
            "\(all.text)")

        let page = try #require(try await driver.call("list", "{\"maxResults\": 2}")?.json as? [String: Any])
        #expect(page["MaxKeys"] as? Int == 2)
        #expect(page["IsTruncated"] as? Bool == true)
        #expect((page["Contents"] as? [[String: Any]])?.compactMap { $0["Key"] as? String } == ["a/1", "a/2"])

        let grouped = try #require(try await driver.call("list", "{\"delimiter\": \"/\"}")?.json as? [String: Any])
        #expect(grouped["Delimiter"] as? String == "/")
        #expect(
            (grouped["CommonPrefixes"] as? [[String: Any]])?.compactMap { $0["Prefix"] as? String } == ["a/", "b/"])
        #expect((grouped["Contents"] as? [[String: Any]])?.compactMap { $0["Key"] as? String } == ["c"])

        // moto leaves Marker out of its answer (S3 echoes it), so the response's Marker is null here.
        let prefixed = try #require(
            try await driver.call("list", "{\"prefix\": \"a/\", \"marker\": \"a/1\"}")?.json as? [String: Any])
        #expect((prefixed["Contents"] as? [[String: Any]])?.compactMap { $0["Key"] as? String } == ["a/2"])
        #expect(prefixed["Prefix"] as? String == "a/")

        let bad = await driver.failure("list", "{\"maxResults\": \"ten\"}")
        #expect(
            bad
                == "s3 binding (List Operation) - unable to parse Data property - json: cannot unmarshal string into Go struct field listPayload.maxResults of type int32"
        )
    }

    @Test func presignedURLsFromCreateAndPresignFetchWithPlainCurl() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("presign")
        try server.createBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let key = "reports/Q1 résumé+final.txt"
        let created = try #require(try await driver.call("create", "\"quarterly\"", ["key": key, "presignTTL": "15m"]))
        let createURL = try #require((created.json as? [String: Any])?["presignURL"] as? String, "\(created.text)")
        #expect(createURL.hasPrefix("\(server.endpointURL)/\(bucket)/reports/Q1%20r%C3%A9sum%C3%A9%2Bfinal.txt?"))
        #expect(createURL.contains("X-Amz-Expires=900"))
        let fetched = try curl(createURL)
        #expect(fetched.status == 200 && fetched.body == "quarterly", "\(fetched)")

        let presigned = try #require(try await driver.call("presign", "", ["key": key, "presignTTL": "1h"]))
        let url = try #require((presigned.json as? [String: Any])?["presignURL"] as? String, "\(presigned.text)")
        #expect(url.contains("X-Amz-Expires=3600"))
        let again = try curl(url)
        #expect(again.status == 200 && again.body == "quarterly", "\(again)")

        #expect(
            await driver.failure("presign", "", ["key": key])
                == "s3 binding error: required metadata 'presignTTL' missing")
        #expect(
            await driver.failure("presign", "", ["presignTTL": "1h"])
                == "s3 binding error: required metadata 'key' missing")
        #expect(
            await driver.failure("presign", "", ["key": key, "presignTTL": "15"])
                == "s3 binding error: cannot parse duration 15: time: missing unit in duration \"15\"")
        // create checks the TTL before uploading, so a bad one leaves no object behind.
        #expect(
            await driver.failure("create", "\"x\"", ["key": "never", "presignTTL": "8d"])
                == "s3 binding error: cannot parse duration 8d: time: unknown unit \"d\" in duration \"8d\"")
        #expect(try server.objectBytes(bucket, "never") == nil)
    }

    @Test func forcePathStyleChoosesBetweenVirtualHostedAndPathStyleURLs() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("vhost")
        try server.createBucket(bucket)
        // curl resolves every *.localhost name to the loopback address, and moto reads the bucket
        // from such a Host header, so virtual-hosted requests reach it.
        let endpoint = "http://localhost:\(server.port)"
        let virtual = try await startedDriver(server, bucket: bucket, ["endpoint": endpoint])
        defer { Task { await virtual.stop() } }
        let created = try #require(try await virtual.call("create", "\"hosted\"", ["key": "v/1", "presignTTL": "1m"]))
        let json = try #require(created.json as? [String: Any])
        #expect(json["location"] as? String == "http://\(bucket).localhost:\(server.port)/v/1")
        let url = try #require(json["presignURL"] as? String)
        #expect(url.hasPrefix("http://\(bucket).localhost:\(server.port)/v/1?"), "\(url)")
        #expect(try curl(url).body == "hosted")
        #expect(try await virtual.call("get", "", ["key": "v/1"])?.text == "hosted")
        #expect((try await virtual.call("list")?.json as? [String: Any])?["Name"] as? String == bucket)

        let pathStyle = try await startedDriver(
            server, bucket: bucket, ["endpoint": endpoint, "forcePathStyle": "true"])
        defer { Task { await pathStyle.stop() } }
        let located = try #require(
            try await pathStyle.call("create", "\"path\"", ["key": "p/1"])?.json as? [String: Any])
        #expect(located["location"] as? String == "\(endpoint)/\(bucket)/p/1")
        #expect(Set(try server.keys(bucket)) == ["v/1", "p/1"])
        #expect(
            try await pathStyle.call("bulkDelete", "{\"keys\": [\"v/1\", \"p/1\"]}")?.text
                == "[{\"key\":\"v/1\"},{\"key\":\"p/1\"}]")
        #expect(try server.keys(bucket).isEmpty)
    }
}
