import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import GCPBucketDriver

/// The example component creates an instance, metadata.yaml lists the descriptor's fields, and
/// the built driver passes the conformance suite (which also keeps README.md equal to both).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.gcp.bucket")
        let account = try TestServiceAccount(in: try temporaryDirectory("gcs-example"))
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["privateKey"] = account.privateKeyPEM  // from the secret store in the example
        let driver = try makeDriver(metadata, component: example.name)
        #expect(driver.settings.bucket == "orders-uploads")
        #expect(driver.client.baseURL == "https://storage.googleapis.com" && !driver.client.access.usesEmulator)
        #expect(driver.settings.defaults.signTTL == "15m" && driver.settings.defaults.contentType == "application/json")
        #expect(driver.client.access.projectID == "orders-project")
    }

    @Test func metadataYAMLListsTheDescriptorsFields() throws {
        let written = try String(contentsOfFile: driverFolder() + "/metadata.yaml", encoding: .utf8)
        #expect(written == Self.metadataYAML())
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let (server, bucket) = try await freshBucket("conformance")
        try server.gcsPut(bucket, "seeded", bytes("seed"))
        let key = ["key": "seeded"]
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-gcp-bucket"),
            overrides: [
                "bucket": bucket, "endpoint": server.endpointURL, "privateKeyID": "", "clientEmail": "",
                "privateKey": "",
            ],
            requests: [
                "create": .init(metadata: ["key": "conformance.json"]), "get": .init(metadata: key),
                "delete": .init(metadata: ["key": "conformance.json"]), "list": .init(data: "{\"maxResults\": 5}"),
                "sign": .init(metadata: key), "bulkGet": .init(data: ""),
                "copy": .init(data: "{\"destinationKey\": \"copied\"}", metadata: key),
                "rename": .init(data: "{\"newName\": \"renamed\"}", metadata: ["key": "copied"]),
                "move": .init(data: "{\"destinationKey\": \"moved\"}", metadata: ["key": "renamed"]),
            ],
            timeout: .seconds(30)
        ).run()
        #expect(try server.gcsGet(bucket, "seeded") == bytes("seed"))
    }

    /// metadata.yaml as the descriptor says it (the form every driver folder's file has).
    static func metadataYAML() -> String {
        let descriptor = BucketDriver.descriptor
        var text = """
            type: \(descriptor.type)
            version: v1
            directions: [output]
            operations: [\(descriptor.operations.joined(separator: ", "))]
            metadata:

            """
        func quoted(_ value: String) -> String {
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        }
        for field in descriptor.fields {
            text += """
                  - name: \(field.name)
                    required: \(field.isRequired)
                    sensitive: \(field.isSensitive)
                    default: \(quoted(field.defaultValue ?? ""))
                    description: \(quoted(field.description))

                """
        }
        return text
    }
}
