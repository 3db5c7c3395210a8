import DriverKit
import DriverTesting
import Testing

@testable import InfluxDriver

/// The example component creates an instance, and the built driver passes the conformance
/// suite (which also keeps metadata.yaml and README.md equal to the descriptor).
@Suite struct DocumentationTests {
    @Test func exampleComponentCreates() throws {
        let example = try ComponentExample(contentsOf: driverFolder() + "/example.yaml")
        #expect(example.type == "bindings.influx")
        var metadata = Dictionary(uniqueKeysWithValues: example.values())
        metadata["token"] = "from the secret store"
        let settings = try makeDriver(metadata).settings
        #expect(settings.url == "http://localhost:8086" && settings.org == "my-org" && settings.bucket == "metrics")
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let target = try await ServerProcess.saasTarget(tls: false)
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-influx"),
            overrides: [
                "url": target.targetURL, "token": ServerProcess.influxToken, "org": ServerProcess.influxOrg,
                "bucket": ServerProcess.influxBuckets[0],
            ],
            requests: [
                "create": .init(data: #"{"measurement":"conformance","values":{"ok":true}}"#),
                "query": .init(data: "", metadata: ["raw": #"from(bucket: "metrics") |> range(start: 0)"#]),
            ],
            timeout: .seconds(30)
        ).run()
        let requests = try await target.targetRequests(count: 2)
        #expect(requests.map(\.status) == [204, 200], "the conformance suite's create and query landed")
    }
}
