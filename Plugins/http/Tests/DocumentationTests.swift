import DriverKit
import Foundation
import Testing

@testable import HTTPDriver

/// The example component works; that metadata.yaml and README.md agree with the driver is
/// checked for every driver by Tests/HostTests/Conformance/DriverConformanceTests.
@Suite struct DocumentationTests {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path

    @Test func exampleComponentCreatesADriver() throws {
        let example = try String(contentsOfFile: folder + "/example.yaml", encoding: .utf8)
        #expect(example.contains("type: bindings.http"))
        let url = try #require(example.split(separator: "\n").drop { !$0.contains("name: url") }.dropFirst().first)
        let value = url.split(separator: "\"").dropFirst().first.map(String.init) ?? ""
        _ = try makeDriver(["url": value, "responseTimeout": "30s", "maxResponseBodySize": "10Mi"])
    }
}
