import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import GCPBucketDriver

/// create, get and delete against fake-gcs-server, checked through the emulator's own API.
@Suite struct ObjectTests {
    @Test func createStoresTheDataUnderTheKeyAndAnswersTheObjectURL() async throws {
        let (server, bucket) = try await freshBucket("create")
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let response = try #require(try await driver.call("create", "hello, bucket", ["key": "notes/a b.txt"]))
        #expect(response.text == "{\"objectURL\":\"https://storage.googleapis.com/\(bucket)/notes/a%20b.txt\"}")
        #expect(try server.gcsGet(bucket, "notes/a b.txt") == bytes("hello, bucket"))
        // No contentType: detected from the content, as Go's client does.
        #expect(try server.gcsObject(bucket, "notes/a b.txt")?["contentType"] as? String == "text/plain; charset=utf-8")
        _ = try await driver.call("create", "\u{0}\u{1}\u{2}", ["key": "binary"])
        #expect(try server.gcsObject(bucket, "binary")?["contentType"] as? String == "application/octet-stream")
    }

    @Test func contentTypeComesFromTheComponentAndTheRequestOverridesIt() async throws {
        let (server, bucket) = try await freshBucket("ctype")
        let driver = try await startedDriver(server, bucket: bucket, ["contentType": "text/csv"])
        defer { Task { await driver.stop() } }
        _ = try await driver.call("create", "a,b", ["key": "table.csv"])
        _ = try await driver.call("create", "{}", ["key": "doc.json", "contentType": "application/json"])
        #expect(try server.gcsObject(bucket, "table.csv")?["contentType"] as? String == "text/csv")
        #expect(try server.gcsObject(bucket, "doc.json")?["contentType"] as? String == "application/json")
        // A line break would forge header lines of the multipart upload: refused, nothing stored.
        await #expect(throws: DriverError.self) {
            try await driver.call("create", "x", ["key": "forged", "contentType": "text/plain\r\nX-Evil: 1"])
        }
        #expect(try server.gcsObject(bucket, "forged") == nil)
    }

    @Test func createWithoutAKeyGeneratesAUUIDName() async throws {
        let (server, bucket) = try await freshBucket("uuid")
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let response = try #require(try await driver.call("create", "generated"))
        let url = try #require((response.json as? [String: String])?["objectURL"])
        let name = String(url.split(separator: "/").last ?? "")
        #expect(name.count == 36 && name.split(separator: "-").count == 5)
        #expect(try server.gcsNames(bucket) == [name])
        #expect(try server.gcsGet(bucket, name) == bytes("generated"))
    }

    @Test func createUnquotesAJSONStringAndDecodesBase64WhenAsked() async throws {
        let (server, bucket) = try await freshBucket("decode")
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        _ = try await driver.call("create", "\"quoted \\\"text\\\"\"", ["key": "quoted"])
        #expect(try server.gcsGet(bucket, "quoted") == bytes("quoted \"text\""))
        _ = try await driver.call("create", "AAEC/w==", ["key": "raw", "decodeBase64": "true"])
        #expect(try server.gcsGet(bucket, "raw") == [0, 1, 2, 255])
        // A component default, overridden by the request.
        let decoding = try await startedDriver(server, bucket: bucket, ["decodeBase64": "true"])
        defer { Task { await decoding.stop() } }
        _ = try await decoding.call("create", "aGk=", ["key": "decoded"])
        _ = try await decoding.call("create", "aGk=", ["key": "verbatim", "decodeBase64": "false"])
        #expect(try server.gcsGet(bucket, "decoded") == bytes("hi"))
        #expect(try server.gcsGet(bucket, "verbatim") == bytes("aGk="))
        // Bad base64 is refused before anything is uploaded (Dapr uploads what it decoded first).
        let failure = await decoding.failure("create", "not base64!", ["key": "bad"])
        #expect(failure == "gcp bucket binding error while uploading: illegal base64 data at input byte 3")
        #expect(try server.gcsGet(bucket, "bad") == nil)
    }

    @Test func getReturnsTheContentAndEncodesBase64WhenAsked() async throws {
        let (server, bucket) = try await freshBucket("get")
        try server.gcsPut(bucket, "dir/ü file", [0, 1, 2, 255])
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        #expect(try await driver.call("get", "", ["key": "dir/ü file"])?.data == [0, 1, 2, 255])
        #expect(try await driver.call("get", "", ["key": "dir/ü file", "encodeBase64": "true"])?.text == "AAEC/w==")
        let encoding = try await startedDriver(server, bucket: bucket, ["encodeBase64": "true"])
        defer { Task { await encoding.stop() } }
        #expect(try await encoding.call("get", "", ["key": "dir/ü file"])?.text == "AAEC/w==")
        #expect(
            try await encoding.call("get", "", ["key": "dir/ü file", "encodeBase64": "no"])?.data == [0, 1, 2, 255])
    }

    @Test func theOlderNameMetadataStandsForKey() async throws {
        let (server, bucket) = try await freshBucket("legacy")
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        _ = try await driver.call("create", "old style", ["name": "legacy.txt"])
        #expect(try await driver.call("get", "", ["name": "legacy.txt"])?.text == "old style")
    }

    @Test func deleteRemovesTheObjectAndAMissingOneIsAnError() async throws {
        let (server, bucket) = try await freshBucket("delete")
        try server.gcsPut(bucket, "doomed", bytes("x"))
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let response = try await driver.call("delete", "", ["key": "doomed"])
        #expect(response == nil || response?.data.isEmpty == true)
        #expect(try server.gcsGet(bucket, "doomed") == nil)
        #expect(await driver.failure("delete", "", ["key": "doomed"]) == "storage: object doesn't exist")
        #expect(
            await driver.failure("get", "", ["key": "doomed"])
                == "gcp bucketgcp bucket binding error while downloading object: storage: object doesn't exist")
    }

    @Test func operationsWithoutAKeyAreRefusedWithDaprsWords() async throws {
        let (server, bucket) = try await freshBucket("nokey")
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        #expect(await driver.failure("get") == "gcp bucket binding error: can't read key value")
        #expect(await driver.failure("delete") == "gcp bucketgcp bucket binding error: can't read key value")
        #expect(await driver.failure("sign") == "gcp bucket binding error: can't read key value")
        #expect(
            await driver.failure("copy", "{\"destinationKey\":\"b\"}")
                == "gcp bucket binding error: can't read key value")
        #expect(await driver.failure("frobnicate") == "unsupported operation frobnicate")
    }

    @Test func objectURLsReadAsGoWritesThem() throws {
        #expect(try ObjectURL.string(bucket: "b", name: "a b/c") == "https://storage.googleapis.com/b/a%20b/c")
        #expect(try ObjectURL.string(bucket: "b", name: "x%20y") == "https://storage.googleapis.com/b/x%20y")
        #expect(try ObjectURL.string(bucket: "b", name: "q?x=1 2") == "https://storage.googleapis.com/b/q?x=1 2")
        #expect(try ObjectURL.string(bucket: "b", name: "é") == "https://storage.googleapis.com/b/%C3%A9")
        #expect(throws: ObjectURL.Invalid.self) { try ObjectURL.string(bucket: "b", name: "100%") }
    }
}
