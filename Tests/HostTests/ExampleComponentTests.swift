import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// Each driver's conformance test (DriverTesting) reads its example.yaml with a small reader of
/// its own; this checks that bindery itself, with its YAML loader and every built driver, accepts
/// each example as a user would copy it: `bindery validate` finds no error and no unknown field
/// (warnings that an `envRef` variable is not set here are expected).
@Suite struct ExampleComponentTests {
    static let drivers: [String] = {
        let plugins = "\(Paths.root)/Plugins"
        return ((try? FileManager.default.contentsOfDirectory(atPath: plugins)) ?? []).sorted()
    }()

    @Test func everyPluginFolderIsChecked() {
        #expect(Self.drivers.count >= 5)
    }

    @Test(arguments: drivers)
    func exampleValidatesCleanly(name: String) throws {
        let dir = try temporaryDirectory("example-\(name)")
        try FileManager.default.copyItem(
            atPath: "\(Paths.root)/Plugins/\(name)/example.yaml", toPath: "\(dir)/example.yaml")
        let result = try run(
            try Paths.bindery, ["validate", "--resources-path", dir], environment: ["HOME": NSHomeDirectory()])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1 components, 0 errors"), "\(result.stdout)")
        #expect(!result.stdout.contains("unknown metadata field"), "\(result.stdout)")
    }
}
