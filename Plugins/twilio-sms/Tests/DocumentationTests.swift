import DriverKit
import DriverTesting
import Testing

@testable import TwilioSMSDriver

/// The example component creates an instance, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.twilio.sms")
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["authToken"] = "from the secret store"
        let settings = try makeDriver(metadata).settings
        #expect(settings.accountSid == "AC0123456789abcdef0123456789abcdef")
        #expect(settings.fromNumber == "+15005550006" && settings.toNumber == "+15551234567")
        #expect(settings.timeout.milliseconds == 30_000)
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let target = try await ServerProcess.saasTarget()
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-twilio-sms"),
            overrides: [
                "accountSid": ServerProcess.twilioAccountSid, "authToken": ServerProcess.twilioAuthToken,
                "endpoint": target.targetURL, "caCert": target.certificatePath,
            ],
            requests: ["create": .init(data: "\"conformance\"")],
            timeout: .seconds(30)
        ).run()
        let requests = try await target.targetRequests(count: 1)
        #expect(requests.map(\.status) == [201], "the conformance suite's create landed")
        #expect(requests.first?.form?["Body"] == ["conformance"])
    }
}
