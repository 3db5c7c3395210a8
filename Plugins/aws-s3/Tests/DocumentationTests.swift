import DriverKit
import DriverTesting
import Testing

@testable import S3Driver

/// The example component creates an instance, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.aws.s3")
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["accessKey"] = "from the environment"
        metadata["secretKey"] = "from the environment"
        let driver = try makeDriver(metadata, component: example.name)
        #expect(driver.settings.bucket == "orders-archive")
        #expect(driver.addressing.baseURL == "https://orders-archive.s3.us-east-1.amazonaws.com")
        #expect(driver.settings.defaults.presignTTL == "15m" && driver.settings.defaults.storageClass == "STANDARD")
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let server = try await SharedMoto.get()
        let bucket = bucketName("conformance")
        try server.createBucket(bucket)
        try server.putObject(bucket, "seeded", Array("seed".utf8))
        let key = ["key": "seeded"]
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-aws-s3"),
            overrides: [
                "bucket": bucket, "endpoint": server.endpointURL, "accessKey": "testing", "secretKey": "testing",
            ],
            requests: [
                "create": .init(metadata: ["key": "conformance.json"]), "get": .init(metadata: key),
                "delete": .init(metadata: ["key": "conformance.json"]), "list": .init(data: "{\"maxResults\": 5}"),
                "presign": .init(metadata: key),
                "bulkGet": .init(data: "{\"items\": [{\"key\": \"seeded\"}]}"),
                "bulkCreate": .init(data: "{\"items\": [{\"key\": \"bulk\", \"data\": \"b\"}]}"),
                "bulkDelete": .init(data: "{\"keys\": [\"bulk\"]}"),
            ],
            timeout: .seconds(30)
        ).run()
        #expect(try server.objectBytes(bucket, "seeded") == Array("seed".utf8))
    }
}
