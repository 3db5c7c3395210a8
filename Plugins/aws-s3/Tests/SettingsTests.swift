import DriverKit
import Testing

@testable import S3Driver

/// The component's fields, request metadata over them, and where requests go (no server).
@Suite struct SettingsTests {
    private let base = ["bucket": "orders", "region": "us-east-1", "accessKey": "a", "secretKey": "b"]

    @Test func bucketIsRequired() {
        #expect(throws: DriverError.self) { try makeDriver(["region": "us-east-1"]) }
        do {
            _ = try makeDriver(["region": "us-east-1", "accessKey": "a", "secretKey": "b"])
        } catch {
            #expect("\(error)" == "files: metadata \"bucket\" is required")
        }
    }

    @Test func booleansAreCheckedAndNamed() {
        do {
            _ = try makeDriver(base.merging(["forcePathStyle": "maybe"]) { $1 })
            Issue.record("accepted forcePathStyle maybe")
        } catch {
            #expect("\(error)".contains("\"forcePathStyle\""), "\(error)")
            #expect("\(error)".contains("\"maybe\""), "\(error)")
        }
    }

    @Test func aBadPresignTTLFailsAtCreateNotAtEachRequest() {
        for ttl in ["15", "soon", "200h", "0s"] {
            do {
                _ = try makeDriver(base.merging(["presignTTL": ttl]) { $1 })
                Issue.record("accepted presignTTL \(ttl)")
            } catch {
                #expect("\(error)".hasPrefix("files: metadata \"presignTTL\" is \"\(ttl)\""), "\(error)")
            }
        }
        #expect(throws: Never.self) { try makeDriver(base.merging(["presignTTL": "1h30m"]) { $1 }) }
    }

    @Test func requestMetadataOverridesTheComponentsOptions() throws {
        let driver = try makeDriver(
            base.merging(["decodeBase64": "true", "presignTTL": "15m", "storageClass": "STANDARD_IA"]) { $1 })
        let defaults = driver.settings.defaults
        #expect(defaults.decodeBase64 && !defaults.encodeBase64)
        let merged = defaults.overridden(by: [
            "decodeBase64": "no", "encodeBase64": "yes", "presignTTL": "1h", "storageClass": "", "filePath": "/tmp/x",
        ])
        #expect(!merged.decodeBase64 && merged.encodeBase64)
        #expect(merged.presignTTL == "1h" && merged.storageClass == "STANDARD_IA" && merged.filePath == "/tmp/x")
    }

    @Test func addressingIsVirtualHostedUnlessPathStyleOrAnIPEndpoint() throws {
        let aws = try makeDriver(base)
        #expect(aws.addressing.isVirtualHosted)
        #expect(aws.addressing.baseURL == "https://orders.s3.us-east-1.amazonaws.com")
        #expect(aws.addressing.path("a b/é+c.txt") == "/a%20b/%C3%A9%2Bc.txt")
        #expect(aws.addressing.location("k") == "https://orders.s3.us-east-1.amazonaws.com/k")

        let pathStyle = try makeDriver(base.merging(["forcePathStyle": "true"]) { $1 })
        #expect(!pathStyle.addressing.isVirtualHosted)
        #expect(pathStyle.addressing.location("k") == "https://s3.us-east-1.amazonaws.com/orders/k")

        let ip = try makeDriver(base.merging(["endpoint": "http://127.0.0.1:4566"]) { $1 })
        #expect(!ip.addressing.isVirtualHosted)
        #expect(ip.addressing.path("x") == "/orders/x" && ip.addressing.bucketPath == "/orders")

        let named = try makeDriver(base.merging(["endpoint": "http://minio.local:9000"]) { $1 })
        #expect(named.addressing.baseURL == "http://orders.minio.local:9000" && named.addressing.bucketPath == "/")

        let dotted = try makeDriver(base.merging(["bucket": "my.bucket"]) { $1 })
        #expect(!dotted.addressing.isVirtualHosted, "a dotted name cannot be one DNS label")
    }

    @Test func disableSSLGivesASchemelessEndpointHTTP() throws {
        let plain = try makeDriver(base.merging(["endpoint": "127.0.0.1:4566", "disableSSL": "true"]) { $1 })
        #expect(plain.addressing.baseURL == "http://127.0.0.1:4566")
        let secure = try makeDriver(base.merging(["endpoint": "127.0.0.1:4566"]) { $1 })
        #expect(secure.addressing.baseURL == "https://127.0.0.1:4566")
    }

    @Test func tagsBecomeTheTaggingHeader() throws {
        #expect(try S3Tags.header("project = alpha, team=blue") == "project=alpha&team=blue")
        #expect(throws: DriverError.self) { try S3Tags.header("project") }
        #expect(throws: DriverError.self) { try S3Tags.header("a=1,,b=2") }
    }
}

/// The bytes and texts Dapr's Go code produces, reproduced.
@Suite struct GoValueTests {
    @Test func unquoteAsDaprDoes() {
        #expect(GoValues.unquote(Array("\"a\\\"b\\u00e9\"".utf8)) == Array("a\"bé".utf8))
        #expect(GoValues.unquote(Array("{\"a\":1}".utf8)) == Array("{\"a\":1}".utf8))
        #expect(GoValues.unquote(Array("not json".utf8)) == Array("not json".utf8))
        #expect(GoValues.unquote(Array("1e3".utf8)) == Array("1000".utf8))
        #expect(GoValues.unquote(Array("2.50".utf8)) == Array("2.5".utf8))
        #expect(GoValues.unquote(Array("true".utf8)) == Array("true".utf8))
        #expect(GoValues.unquote(Array("null".utf8)) == [])
    }

    @Test func base64RoundTripsAndRejectsAsGo() throws {
        let bytes: [UInt8] = Array(0...255)
        #expect(try Base64.decode(Base64.encode(bytes)) == bytes)
        #expect(String(decoding: Base64.encode(Array("hello".utf8)), as: UTF8.self) == "aGVsbG8=")
        #expect(try Base64.decode(Array("aGVs\r\nbG8=".utf8)) == Array("hello".utf8))
        #expect(throws: Base64.CorruptInput(offset: 4)) { try Base64.decode(Array("aGVs!G8=".utf8)) }
        #expect(throws: Base64.CorruptInput.self) { try Base64.decode(Array("aGVsbG8".utf8)) }
    }

    @Test func timesAndUUIDs() {
        #expect(GoValues.time("2026-12-01T18:32:09.000Z") == "2026-12-01T18:32:09Z")
        #expect(GoValues.time("2026-12-01T18:32:09.120Z") == "2026-12-01T18:32:09.12Z")
        let uuid = RandomUUID.v4()
        #expect(uuid.count == 36 && Array(uuid)[14] == "4", "\(uuid)")
        #expect(uuid != RandomUUID.v4())
    }

    @Test func crc32MatchesZlib() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.header(Array("hello".utf8)) == "NhCmhg==")
    }

    @Test func payloadsParseAsGoUnmarshals() throws {
        let list = try ListPayload.parse(Array("{\"MaxResults\": 5, \"prefix\": \"a/\", \"other\": 1}".utf8))
        #expect(list == ListPayload(marker: "", prefix: "a/", maxResults: 5, delimiter: ""))
        #expect(throws: BulkPayload.Invalid.self) { try ListPayload.parse(Array("{\"maxResults\": 1.5}".utf8)) }
        #expect(throws: BulkPayload.Invalid.self) { try ListPayload.parse(Array("[1]".utf8)) }

        let create = try BulkPayload.parse(
            Array(
                "{\"items\":[{\"key\":\"a\",\"data\":\"x\",\"contentType\":\"text/plain\"},{\"key\":\"\"}],\"concurrency\":2}"
                    .utf8),
            as: "bulkCreatePayload")
        #expect(create.items == [.init(key: "a", data: "x", contentType: "text/plain"), .init(key: "")])
        #expect(create.concurrency == 2)
        do {
            _ = try BulkPayload.parse(Array("{\"items\":[{\"key\":1}]}".utf8), as: "bulkGetPayload")
            Issue.record("accepted a number as a key")
        } catch {
            #expect(
                error.message
                    == "json: cannot unmarshal number into Go struct field bulkGetItem.items.key of type string")
        }
        let delete = try BulkPayload.parse(Array("{\"keys\":[\"a\",\"b\"]}".utf8), as: "bulkDeletePayload")
        #expect(delete.keys == ["a", "b"])
    }

    @Test func bulkResultsLeaveEmptyFieldsOut() {
        let json = BulkResult.json([
            BulkResult(key: "a", data: "x"), BulkResult(key: "", error: "key is required"),
            BulkResult(key: "b<", location: "http://h/b"),
        ])
        #expect(
            String(decoding: json, as: UTF8.self)
                == "[{\"key\":\"a\",\"data\":\"x\"},{\"key\":\"\",\"error\":\"key is required\"},{\"key\":\"b\\u003c\",\"location\":\"http://h/b\"}]"
        )
    }
}
