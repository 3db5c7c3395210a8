import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// Each driver's conformance test (DriverTesting) reads its example.yaml with a small reader of
/// its own; this checks that bindery itself, with its YAML loader and every built driver, accepts
/// each example as a user would copy it, with the variables its `envRef`s name set: `bindery
/// validate` (which also has each driver create its instances) finds no error and no unknown field.
@Suite struct ExampleComponentTests {
    static let drivers: [String] = {
        let plugins = "\(Paths.root)/Plugins"
        return ((try? FileManager.default.contentsOfDirectory(atPath: plugins)) ?? []).sorted()
    }()

    /// An RSA key in PEM, for the `envRef`s that name a private key.
    static let privateKey: String = {
        guard let directory = try? temporaryDirectory("example-key"),
            let account = try? TestServiceAccount(in: directory)
        else { return "openssl genpkey failed" }
        return account.privateKeyPEM
    }()

    @Test func everyPluginFolderIsChecked() {
        #expect(Self.drivers.count >= 5)
    }

    @Test(arguments: drivers)
    func exampleValidatesCleanly(name: String) throws {
        let dir = try temporaryDirectory("example-\(name)")
        try FileManager.default.copyItem(
            atPath: "\(Paths.root)/Plugins/\(name)/example.yaml", toPath: "\(dir)/example.yaml")
        var environment = ["HOME": NSHomeDirectory()]
        for variable in try Self.envRefs(in: "\(dir)/example.yaml") {
            // A private key must be one: the Google drivers read it at create.
            environment[variable] = variable.hasSuffix("PRIVATE_KEY") ? Self.privateKey : "example-\(variable)"
        }
        let result = try run(try Paths.bindery, ["validate", "--resources-path", dir], environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1 components, 0 errors"), "\(result.stdout)")
        #expect(!result.stdout.contains("unknown metadata field"), "\(result.stdout)")
    }

    /// The variables `envRef:` lines name in the file at `path`.
    static func envRefs(in path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            return words.first == "envRef:" ? words.dropFirst().first.map(String.init) : nil
        }
    }
}
