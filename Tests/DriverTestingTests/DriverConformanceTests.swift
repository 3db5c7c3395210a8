import DriverTesting
import Foundation
import Testing

/// The conformance suite fails drivers that break its rules. It runs here against a copy of the
/// cron driver's folder with one thing broken, and the cron driver's built library.
@Suite struct DriverConformanceTests {
    private let library = BuildProducts.library("bindery-cron")

    /// A copy of Plugins/cron (its three files) in a temporary folder, after `change`.
    private func cronFolder(_ change: (TemporaryDirectory) throws -> Void = { _ in }) throws -> TemporaryDirectory {
        let source = driverFolder(up: 3) + "/Plugins/cron"
        let copy = try TemporaryDirectory("conformance-cron")
        for name in ["example.yaml", "metadata.yaml", "README.md"] {
            try copy.write(name, try String(contentsOfFile: "\(source)/\(name)", encoding: .utf8))
        }
        try change(copy)
        return copy
    }

    @Test func theUnchangedCronFolderConforms() async throws {
        let folder = try cronFolder()
        defer { folder.remove() }
        #expect(try await DriverConformance(folder: folder.path, library: library).problems() == [])
    }

    @Test func aFolderWithoutExampleYAMLFails() async throws {
        let folder = try cronFolder { try FileManager.default.removeItem(atPath: $0.path + "/example.yaml") }
        defer { folder.remove() }
        await #expect { try await DriverConformance(folder: folder.path, library: library).problems() } throws: {
            error in
            "\(error)".contains("example.yaml is missing")
        }
    }

    @Test func aReadmeThatNoLongerQuotesTheExampleFails() async throws {
        let folder = try cronFolder { try $0.write("README.md", "# cron\n| `schedule` |\n") }
        defer { folder.remove() }
        let problems = try await DriverConformance(folder: folder.path, library: library).problems()
        #expect(problems == ["bindings.cron: README.md does not quote example.yaml verbatim in a ```yaml block"])
    }

    @Test func anExampleMissingARequiredFieldFailsAtCreateWithTheDriversMessage() async throws {
        let folder = try cronFolder { folder in
            let example = try String(contentsOfFile: folder.path + "/example.yaml", encoding: .utf8)
            try folder.write(
                "example.yaml", example.replacingOccurrences(of: "name: schedule", with: "name: timetable"))
        }
        defer { folder.remove() }
        let problems = try await DriverConformance(folder: folder.path, library: library).problems()
        #expect(
            problems.contains("bindings.cron: example.yaml sets timetable, which is not one of the driver's fields"))
        #expect(problems.contains("bindings.cron: example.yaml does not set required field schedule"))
        #expect(
            problems.contains {
                $0.hasPrefix("bindings.cron: input instance of nightly-report: create of nightly-report")
            })
    }

    @Test func aMissingLibraryFailsNamingTheBuildStep() async throws {
        let folder = try cronFolder()
        defer { folder.remove() }
        await #expect {
            try await DriverConformance(folder: folder.path, library: folder.path + "/libnone.so").problems()
        } throws: { error in
            "\(error)".contains("libnone.so is missing: build the driver first")
        }
    }

    @Test func statusCodesAreNamedAsInTheHeader() {
        #expect(ABIStatus.name(0) == "BD_OK")
        #expect(ABIStatus.name(-8) == "BD_E_NOT_FOUND")
        #expect(ABIStatus.name(-9) == "BD_E_INTERNAL")
        #expect(ABIStatus.name(7) == "status 7")
    }

    /// A driver folder whose tests never call the suite would escape it: every folder under
    /// Plugins/ has a test that does.
    @Test func everyPluginFolderRunsTheConformanceSuite() throws {
        let plugins = driverFolder(up: 3) + "/Plugins"
        let names = try FileManager.default.contentsOfDirectory(atPath: plugins).sorted()
        #expect(names.count >= 5)
        for name in names {
            let tests = (try? FileManager.default.contentsOfDirectory(atPath: "\(plugins)/\(name)/Tests")) ?? []
            let callers = try tests.filter { file in
                try String(contentsOfFile: "\(plugins)/\(name)/Tests/\(file)", encoding: .utf8)
                    .contains("DriverConformance(")
            }
            #expect(!callers.isEmpty, "Plugins/\(name)/Tests has no test that runs DriverConformance")
        }
    }
}
