import DriverKit
import DriverTesting
import Testing

@testable import SendGridDriver

/// The example component creates an instance, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.twilio.sendgrid")
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["apiKey"] = "from the secret store"
        let defaults = try makeDriver(metadata).settings.defaults
        #expect(defaults.from == MailAddress(name: "Orders", email: "orders@example.com"))
        #expect(defaults.to == MailAddress(name: "", email: "team@example.com"))
        #expect(defaults.subject == "Order received")
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let target = try await ServerProcess.saasTarget()
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-twilio-sendgrid"),
            overrides: [
                "apiKey": ServerProcess.sendGridAPIKey, "endpoint": target.targetURL, "caCert": target.certificatePath,
            ],
            requests: ["create": .init(data: "\"<p>conformance</p>\"")],
            timeout: .seconds(30)
        ).run()
        let requests = try await target.targetRequests(count: 1)
        #expect(requests.map(\.status) == [202], "the conformance suite's create landed")
    }
}
