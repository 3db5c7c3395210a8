import DriverKit
import DriverTesting
import Testing

@testable import GCPPubSubDriver

/// The example component creates an instance, the settings are checked, and the built driver
/// passes the conformance suite (which also keeps metadata.yaml and README.md equal to the
/// descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.gcp.pubsub")
        let metadata = Dictionary(uniqueKeysWithValues: example.values())
        let driver = try makeDriver(metadata, [.input, .output], component: example.name)
        #expect(driver.topic == "orders")
        #expect(driver.subscription == "orders-bindery")
        #expect(driver.client.projectID == "my-project")
        #expect(driver.client.baseURL == "http://localhost:8085")
        #expect(driver.access.usesEmulator)
    }

    @Test func theReadmesCredentialsCreateAnInstanceForGooglesHost() async throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["endpoint"] = nil
        metadata.merge([
            "type": "service_account", "privateKeyID": "3f1c0b4e9a7d2c8e5b6a0f1d2e3c4b5a6f7e8d9c",
            "clientEmail": "orders@my-project.iam.gserviceaccount.com",
            "privateKey": try await CredentialsTests.accounts.value.right.privateKeyPEM,
        ]) { $1 }
        let driver = try makeDriver(metadata, [.input, .output], component: example.name)
        #expect(driver.client.baseURL == "https://pubsub.googleapis.com")
        #expect(!driver.access.usesEmulator)
    }

    @Test func aMissingTopicIsRefusedNamingIt() throws {
        let error = try #require(throws: DriverError.self) {
            try makeDriver(["subscription": "s", "projectID": "p", "endpoint": "http://127.0.0.1:1"], .input)
        }
        #expect(error.message == "orders: metadata \"topic\" is required")
    }

    @Test func inputWithoutASubscriptionIsRefusedNamingIt() throws {
        let error = try #require(throws: DriverError.self) {
            try makeDriver(["topic": "t", "projectID": "p", "endpoint": "http://127.0.0.1:1"], .input)
        }
        #expect(error.message.hasPrefix("orders: metadata \"subscription\" is required for input"))
        // Output alone needs none.
        _ = try makeDriver(["topic": "t", "projectID": "p", "endpoint": "http://127.0.0.1:1"], .output)
    }

    @Test func theSnakeCaseProjectIDIsRead() throws {
        let driver = try makeDriver(["topic": "t", "project_id": "snake-project", "endpoint": "http://127.0.0.1:1"])
        #expect(driver.client.projectID == "snake-project")
        #expect(driver.client.topicPath("t") == "projects/snake-project/topics/t")
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("conformance"), uniqueName("conformance-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription)
        // The example's credentials, with the test account's key and a local token endpoint.
        let account = try await CredentialsTests.accounts.value.right
        let tokens = try await ServerProcess.googleTokenEndpoint(for: account)
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-gcp-pubsub"),
            overrides: metadata(emulator, topic: topic, subscription: subscription).merging(
                CredentialsTests.credentials(account, tokenURI: tokens.tokenURI)
            ) { $1 },
            inputTrigger: { try await Emulator.publish(emulator, topic, "{\"trigger\":true}") },
            timeout: .seconds(30)
        ).run()
    }
}
