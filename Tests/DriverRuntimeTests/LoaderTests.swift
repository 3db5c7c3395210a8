import DriverTesting
import Foundation
import HostTestSupport
import Testing

@testable import BinderyCore
@testable import DriverRuntime

@Suite struct LoaderTests {
    private func loader(minimumMinor: UInt16 = 0) throws -> Loader {
        var policy = LoaderPolicy()
        policy.minimumMinor = minimumMinor
        policy.imageDirectory = try temporaryDirectory("images")
        return Loader(policy: policy)
    }

    private func refusal(_ mode: String, minimumMinor: UInt16 = 0) throws -> LoaderError {
        let file = try FixtureDrivers.path(mode)
        let loader = try loader(minimumMinor: minimumMinor)
        do {
            _ = try loader.load(file)
        } catch {
            #expect(error.description.hasPrefix("cannot load \(file): "))
            return error
        }
        throw TestFailure("\(mode) was loaded")
    }

    @Test func workingDriverLoadsWithItsDescriptor() throws {
        let driver = try loader().load(try FixtureDrivers.path("NONE"))
        #expect(driver.descriptor.type == "bindings.fixture")
        #expect(driver.descriptor.directions == ["input", "output"])
        #expect(driver.descriptor.operations == ["echo", "none", "fail", "async", "acks"])
        #expect(driver.descriptor.fields.map(\.name) == ["events", "token"])
        #expect(driver.descriptor.fields[1].required && driver.descriptor.fields[1].sensitive)
        #expect(driver.image.abiVersion == "1.1")
        #expect(driver.descriptor.fields.map(\.type) == ["int", "string"])
    }

    @Test func sameContentReusesTheLoadedImage() throws {
        let loader = try loader()
        let dir = try temporaryDirectory("copies")
        let original = try FixtureDrivers.path("NONE")
        try FileManager.default.copyItem(atPath: original, toPath: "\(dir)/copy.so")
        let first = try loader.load(original)
        let second = try loader.load("\(dir)/copy.so")
        #expect(first.image === second.image)
        #expect(loader.retainedImages == 1)
        #expect(second.file == "\(dir)/copy.so")
    }

    @Test func privateCopyIsRemovedAfterLoading() throws {
        let loader = try loader()
        _ = try loader.load(try FixtureDrivers.path("NONE"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: loader.policy.imageDirectory).isEmpty)
    }

    @Test func majorVersionMismatchIsRefused() throws {
        let error = try refusal("ABI_MAJOR")
        #expect(error.code == .incompatibleABI)
        #expect(error.reason == "driver speaks ABI 2.0, this host speaks 1.0–1.1: rebuild it against PluginABI 1.x")
    }

    @Test func minorBelowTheHostMinimumIsRefused() throws {
        let error = try refusal("NONE", minimumMinor: 2)
        #expect(error.code == .incompatibleABI)
        #expect(error.reason.contains("agreed on 1.1"))
        #expect(error.reason.contains("PluginABI 1.2 or newer"))
    }

    @Test func missingEntrySymbolIsRefused() throws {
        let error = try refusal("NO_ENTRY")
        #expect(error.code == .notADriver)
        #expect(error.reason == "entry symbol bd_driver_entry missing (not a bindery driver?)")
    }

    @Test func entryErrorIsReportedWithTheDriversMessage() throws {
        let error = try refusal("ENTRY_ERROR")
        #expect(error.code == .entryFailed)
        #expect(error.reason == "bd_driver_entry returned BD_E_INTERNAL: license file /etc/fixture.lic is missing")
    }

    @Test(arguments: [
        ("EMPTY_TYPE", "invalid descriptor: type_name is empty"),
        ("BAD_DIRECTIONS", "invalid descriptor: directions has unknown bits 0x4"),
        ("DUP_OPS", "invalid descriptor: operation \"echo\" is listed twice"),
    ])
    func invalidDescriptorIsRefused(mode: String, reason: String) throws {
        let error = try refusal(mode)
        #expect(error.code == .invalidDescriptor)
        #expect(error.reason == reason)
    }

    @Test func sharedRuntimeSwiftDriverFromAnotherToolchainIsRefused() throws {
        let error = try refusal("SWIFT_TOOLCHAIN")
        #expect(error.code == .toolchainMismatch)
        #expect(
            error.reason.contains(
                "built with Swift 5.10.0 against the shared Swift runtime, this host runs Swift \(LoaderPolicy.hostSwift)"
            ))
    }

    @Test func twoFilesServingOneTypeUseTheHigherVersion() throws {
        let dir = try temporaryDirectory("dups")
        try FileManager.default.copyItem(atPath: try FixtureDrivers.path("NONE"), toPath: "\(dir)/a_fixture.so")
        try FileManager.default.copyItem(
            atPath: "\(try FixtureDrivers.directory())/libfixture_v12.so", toPath: "\(dir)/b_fixture.so")
        try "not a library".write(toFile: "\(dir)/notes.so", atomically: true, encoding: .utf8)
        let catalog = DriverScan.scan([dir], loader: try loader())
        #expect(catalog.drivers.map(\.file) == ["\(dir)/b_fixture.so"])
        let duplicate = try #require(catalog.rejected.first { $0.code == .duplicateType })
        #expect(duplicate.file == "\(dir)/a_fixture.so")
        #expect(
            duplicate.reason
                == "bindings.fixture is also served by \(dir)/b_fixture.so, which is used because its version 1.2.0 is higher than 1.0.0"
        )
        #expect(catalog.rejected.contains { $0.file == "\(dir)/notes.so" && $0.code == .invalidFile })
    }

    @Test func equalVersionsUseTheFirstInThePath() throws {
        let first = try temporaryDirectory("first"), second = try temporaryDirectory("second")
        try FileManager.default.copyItem(atPath: try FixtureDrivers.path("NONE"), toPath: "\(second)/z.so")
        try FileManager.default.copyItem(atPath: try FixtureDrivers.path("NONE"), toPath: "\(first)/z.so")
        let catalog = DriverScan.scan([first, second], loader: try loader())
        #expect(catalog.drivers.map(\.file) == ["\(first)/z.so"])
        #expect(
            catalog.rejected.first?.reason.hasSuffix("both are version 1.0.0 and it comes first in the drivers path")
                == true)
    }

    @Test func librariesWithoutTheEntrySymbolAreSkippedQuietly() throws {
        let dir = try temporaryDirectory("quiet")
        try FileManager.default.copyItem(atPath: try FixtureDrivers.path("NO_ENTRY"), toPath: "\(dir)/libother.so")
        let catalog = DriverScan.scan([dir], loader: try loader())
        #expect(catalog.drivers.isEmpty)
        #expect(catalog.rejected.isEmpty)
    }
}
