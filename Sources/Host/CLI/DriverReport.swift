import BinderyCore
import DriverRuntime
import FoundationEssentials

/// A loaded driver as `bindery drivers --json` and `bindery inspect --json` print it.
/// The shape is documented in README.md ("JSON output"); fields are only ever added.
struct DriverReport: Codable {
    let type: String
    let componentVersion: String
    let driverVersion: String
    let abiVersion: String
    let directions: [String]
    let operations: [String]
    let inputMayOverlap: Bool
    let toolchain: String
    let summary: String
    let fields: [DriverDescriptor.Field]
    let file: String
    let sha256: String

    init(_ driver: LoadedDriver) {
        let d = driver.descriptor
        type = d.type
        componentVersion = d.componentVersion
        driverVersion = d.driverVersion
        abiVersion = driver.image.abiVersion
        directions = d.directions
        operations = d.operations
        inputMayOverlap = d.inputMayOverlap
        toolchain = d.toolchain
        summary = d.summary
        fields = d.fields
        file = driver.file
        sha256 = driver.image.sha256
    }
}

/// Stable JSON: sorted keys, two-space indentation, one trailing newline.
enum JSONOutput {
    static func render(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
