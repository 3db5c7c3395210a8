import DriverKit
import Foundation
import Testing

@testable import MQTTDriver

/// The example component works; that metadata.yaml and README.md agree with the driver is
/// checked for every driver by Tests/HostTests/Conformance/DriverConformanceTests.
@Suite struct DocumentationTests {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path

    @Test func exampleComponentCreatesBothDirections() throws {
        let example = try String(contentsOfFile: folder + "/example.yaml", encoding: .utf8)
        #expect(example.contains("type: bindings.mqtt3"))
        var metadata: [String: String] = [:]
        var name: String?
        for line in example.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("- name: ") { name = String(text.dropFirst(8)) }
            if text.hasPrefix("value: "), let key = name { metadata[key] = String(text.dropFirst(7)).trimmingCharacters(in: ["\""]) }
        }
        for direction: Directions in [.input, .output] {
            let driver = try MQTTDriver(configuration: DriverConfiguration(
                componentName: "telemetry", type: "bindings.mqtt3", directions: direction, metadata: metadata)) { _, _ in }
            #expect(driver.settings.url.port == 1883)
            #expect(driver.settings.backOffMaxRetries == 3)
        }
    }
}
