import DriverKit
import DriverTesting
import Testing

@testable import InfluxDriver

/// The component's metadata as the driver reads it.
@Suite struct SettingsTests {
    private let base = ["url": "http://localhost:8086/", "token": "t", "org": "my org", "bucket": "b/1"]

    @Test func urlsAreTheGoClientsWithTheOrgAndBucketEscaped() throws {
        let settings = try makeDriver(base).settings
        #expect(settings.writeURL == "http://localhost:8086/api/v2/write?bucket=b%2F1&org=my+org&precision=ns")
        #expect(settings.queryURL == "http://localhost:8086/api/v2/query?org=my+org")
        #expect(settings.authorization == "Token t")
    }

    @Test func eachRequiredFieldIsNamedWhenMissingAndABadURLIsQuoted() throws {
        for field in ["url", "token", "org", "bucket"] {
            var metadata = base
            metadata[field] = nil
            let error = try #require(throws: DriverError.self) { try makeDriver(metadata) }
            #expect(error.message == "influx: metadata \"\(field)\" is required")
        }
        let error = try #require(throws: DriverError.self) {
            try makeDriver(base.merging(["url": "localhost:8086"]) { $1 })
        }
        #expect(error.message.contains("\"url\"") && error.message.contains("localhost:8086"))
    }
}
