import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import GCPBucketDriver

/// list and bulkGet: Go's `[]storage.ObjectAttrs` as Dapr marshals it.
@Suite struct ListTests {
    @Test func listAnswersObjectAttrsWithPrefixAndMaxResults() async throws {
        let (server, bucket) = try await freshBucket("list")
        for name in ["a/1", "a/2", "a/3", "b/1"] {
            try server.gcsPut(bucket, name, bytes("data \(name)"), contentType: "text/plain")
        }
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let all = try #require(try await driver.call("list", "{}")?.json as? [[String: Any]])
        #expect(all.map { $0["Name"] as? String } == ["a/1", "a/2", "a/3", "b/1"])
        let first = all[0]
        #expect(first["Bucket"] as? String == bucket && first["Size"] as? Int == 8)
        #expect(first["ContentType"] as? String == "text/plain" && first["Prefix"] as? String == "")
        #expect((first["MD5"] as? String)?.isEmpty == false && first["CRC32C"] is Int)
        #expect((first["Created"] as? String)?.hasSuffix("Z") == true && first["Generation"] is Int)
        #expect(first["Metadata"] is NSNull && first["Retention"] is NSNull)
        // Go's field order, as encoding/json writes the struct.
        let text = try #require(try await driver.call("list", "{\"prefix\":\"b/\"}")?.text)
        #expect(text.hasPrefix("[{\"Bucket\":\"\(bucket)\",\"Name\":\"b/1\",\"ContentType\":\"text/plain\","))
        let limited = try #require(
            try await driver.call("list", "{\"prefix\":\"a/\",\"maxResults\":2}")?.json as? [[String: Any]])
        #expect(limited.map { $0["Name"] as? String } == ["a/1", "a/2"])
        #expect(try await driver.call("list", "{\"prefix\":\"zzz\"}")?.text == "null")
    }

    @Test func listWithADelimiterAddsThePrefixesAfterTheObjects() async throws {
        let (server, bucket) = try await freshBucket("delim")
        for name in ["top.txt", "dir/x", "dir/y", "other/z"] { try server.gcsPut(bucket, name, bytes("1")) }
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let entries = try #require(try await driver.call("list", "{\"delimiter\":\"/\"}")?.json as? [[String: Any]])
        #expect(entries.map { $0["Name"] as? String } == ["top.txt", "", ""])
        #expect(entries.map { $0["Prefix"] as? String } == ["", "dir/", "other/"])
        #expect(entries[1]["MD5"] is NSNull && entries[1]["Created"] as? String == "0001-01-01T00:00:00Z")
    }

    @Test func listPagesUntilMaxResults() async throws {
        let (server, bucket) = try await freshBucket("pages")
        for index in 0..<5 { try server.gcsPut(bucket, "n\(index)", bytes("\(index)")) }
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        var names: [String] = []
        _ = try await driver.listObjects(prefix: "", delimiter: "", limit: 4, timeout: nil) { entry in
            if case .object(let resource) = entry { names.append(resource["name"]?.string ?? "") }
        }
        #expect(names == ["n0", "n1", "n2", "n3"])
    }

    @Test func aListPayloadOfTheWrongShapeIsRefusedAsGoWords() async throws {
        let (server, bucket) = try await freshBucket("badlist")
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        #expect(await driver.failure("list", "") == "unexpected end of JSON input")
        #expect(
            await driver.failure("list", "{\"maxResults\":\"ten\"}")
                == "json: cannot unmarshal string into Go struct field listPayload.maxResults of type int32")
        #expect(
            await driver.failure("list", "[1]")
                == "json: cannot unmarshal array into Go value of type bucket.listPayload")
    }

    @Test func bulkGetReturnsEveryObjectWithItsDataAndAttrs() async throws {
        let (server, bucket) = try await freshBucket("bulk")
        try server.gcsPut(bucket, "one", bytes("first"))
        try server.gcsPut(bucket, "two/2", [0, 255])
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let items = try #require(try await driver.call("bulkGet")?.json as? [[String: Any]])
        #expect(items.map { $0["name"] as? String } == ["one", "two/2"])
        // Go marshals []byte as base64.
        #expect(items.map { $0["data"] as? String } == ["Zmlyc3Q=", "AP8="])
        #expect((items[1]["attrs"] as? [String: Any])?["Size"] as? Int == 2)
        let encoded = try #require(
            try await driver.call("bulkGet", "", ["encodeBase64": "true"])?.json as? [[String: Any]])
        #expect(encoded.first?["data"] as? String == Base64.encodedString(bytes("Zmlyc3Q=")))
        let (_, empty) = try await freshBucket("bulk-empty")
        let other = try await startedDriver(server, bucket: empty)
        defer { Task { await other.stop() } }
        #expect(try await other.call("bulkGet")?.text == "[]")
    }
}
