import Foundation
import PluginABI
import Testing

@testable import BinderyCore
@testable import BinderyHTTP
@testable import BinderySystem
@testable import DaprHTTPAPI
@testable import Delivery
@testable import DriverRuntime
@testable import Host

/// Every in-tree driver, as the host sees its built `.so`: its metadata.yaml and README agree
/// with the descriptor it reports through the ABI, its example component validates against its
/// own fields, and instances created from it stop cleanly, twice.
@Suite struct DriverConformanceTests {
    static let drivers: [String] = {
        let plugins = "\(Paths.root)/Plugins"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: plugins)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(plugins)/\($0)/example.yaml") }.sorted()
    }()

    private func load(_ name: String) throws -> LoadedDriver {
        var policy = LoaderPolicy()
        policy.imageDirectory = try temporaryDirectory("conformance")
        let file = URL(fileURLWithPath: try Paths.bindery).deletingLastPathComponent().appendingPathComponent("libbindery-\(name).so").path
        return try Loader(policy: policy).load(file)
    }

    private func folder(_ name: String) -> String { "\(Paths.root)/Plugins/\(name)" }

    @Test func everyPluginFolderIsABuiltDriver() {
        #expect(Self.drivers.count >= 3)
    }

    @Test(arguments: drivers)
    func metadataYAMLMatchesTheDescriptor(name: String) throws {
        let descriptor = try load(name).descriptor
        let text = try String(contentsOfFile: "\(folder(name))/metadata.yaml", encoding: .utf8)
        let root = try #require(try YAMLReader.parse(text, file: "metadata.yaml").first)
        #expect(root.field("type")?.text == descriptor.type)
        #expect(root.field("version")?.text == descriptor.componentVersion)
        #expect(root.field("directions")?.items?.compactMap(\.text) == descriptor.directions)
        #expect(root.field("operations")?.items?.compactMap(\.text) == descriptor.operations)
        let fields = root.field("metadata")?.items ?? []
        #expect(fields.compactMap { $0.field("name")?.text } == descriptor.fields.map(\.name))
        for (yaml, field) in zip(fields, descriptor.fields) {
            #expect(yaml.field("required")?.text == String(field.required), "\(name).\(field.name)")
            #expect(yaml.field("sensitive")?.text == String(field.sensitive), "\(name).\(field.name)")
            #expect((yaml.field("default")?.text ?? "") == (field.defaultValue ?? ""), "\(name).\(field.name)")
            #expect(yaml.field("description")?.text == field.description, "\(name).\(field.name)")
        }
    }

    @Test(arguments: drivers)
    func readmeHoldsTheExampleVerbatimAndEveryFieldAndOperation(name: String) throws {
        let descriptor = try load(name).descriptor
        let example = try String(contentsOfFile: "\(folder(name))/example.yaml", encoding: .utf8)
        let readme = try String(contentsOfFile: "\(folder(name))/README.md", encoding: .utf8)
        #expect(readme.contains("```yaml\n" + example + "```"))
        for field in descriptor.fields { #expect(readme.contains("| `\(field.name)` |"), "\(name): README has no row for \(field.name)") }
        for operation in descriptor.operations { #expect(readme.contains("`\(operation)`"), "\(name): README never names \(operation)") }
    }

    @Test(arguments: drivers)
    func exampleValidatesAndInstancesStopTwice(name: String) async throws {
        let driver = try load(name)
        let dir = try temporaryDirectory("example-\(name)")
        try FileManager.default.copyItem(atPath: "\(folder(name))/example.yaml", toPath: "\(dir)/example.yaml")
        let set = ComponentLoader.load(paths: [dir], appID: "conformance", environment: ["HOME": NSHomeDirectory()])
        #expect(set.problems.filter { $0.severity == .error }.isEmpty, "\(set.problems)")
        let component = try #require(set.components.first)
        #expect(ComponentType.resolve(component.type, version: component.version, among: [driver.descriptor.type]) == driver.descriptor.type)
        #expect(MetadataCheck.check(component, against: driver.descriptor.fields).isEmpty)
        for direction in driver.descriptor.directions {
            let instance = try InProcessInstance.create(driver.image, ComponentSpec(
                name: component.name, type: driver.descriptor.type, version: component.version,
                directions: direction == "input" ? .input : .output,
                metadata: component.metadata.map { ($0.name, $0.value) }, generation: 1))
            #expect(await instance.stop(timeout: .seconds(5)))
            #expect(await instance.stop(timeout: .seconds(5)))
            instance.destroy()
        }
    }
}
