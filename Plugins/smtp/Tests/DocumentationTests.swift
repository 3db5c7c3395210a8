import DriverKit
import DriverTesting
import Testing

@testable import SMTPDriver

/// The example component creates an instance, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.smtp")
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["password"] = "from the environment"
        let settings = try makeDriver(metadata, component: example.name).settings
        #expect(settings.host == "smtp.example.com" && settings.port == 587)
        #expect(settings.defaults.from == "Orders <orders@example.com>")
        #expect(settings.defaults.priority == 3)
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let server = try await ServerProcess.smtp()
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-smtp"),
            overrides: ["host": "127.0.0.1", "port": String(server.port), "user": "", "password": ""],
            timeout: .seconds(30)
        ).run()
        // The suite accepts a create that fails with a message (printed above when it does);
        // this driver's must land. 30 s: aiosmtpd is Python, and the driver tests share 2 cores.
        let envelopes: [SMTPEnvelope]
        do {
            envelopes = try await server.smtpEnvelopes(count: 1, timeout: .seconds(30))
        } catch {
            Issue.record("\(error); the server's log:\n\(server.log)")
            return
        }
        #expect(envelopes.count == 1, "the conformance suite's create landed")
        #expect(envelopes.first?.body == "{\"conformance\":true}\r\n")
    }
}
