import DriverTesting
import Foundation
import Synchronization

/// Test drivers built from Tests/HostTests/Fixtures, once per test run: the C fixture in every
/// failure mode, and the Swift fixture on top of Sources/DriverKit.
package enum FixtureDrivers {
    /// The C fixture's failure modes (a -DFAULT_<MODE> each); NONE is the working driver.
    package static let modes = [
        "NONE", "ABI_MAJOR", "NO_ENTRY", "ENTRY_ERROR", "EMPTY_TYPE", "BAD_DIRECTIONS", "DUP_OPS", "SWIFT_TOOLCHAIN",
    ]

    private static let built = Mutex<Result<String, TestFailure>?>(nil)
    private static let builtSwift = Mutex<Result<String, TestFailure>?>(nil)

    /// The folder holding lib<mode>.so for each mode, libfixture_v12.so
    /// (the working C fixture reporting version 1.2.0), and libprovider_a.so / libprovider_b.so
    /// (types bindings.provider-a and -b) with libprovider_a_v2.so and _v3.so (versions 2 and 3).
    /// The C fixtures build in about a second; the Swift fixture (DriverKit compiled with swiftc)
    /// takes several, so it has a lock of its own and only the tests that load it wait for it.
    package static func directory() throws -> String {
        try built.withLock { state in
            if state == nil { state = Result { () throws(TestFailure) in try build() } }
            return try state!.get()
        }
    }

    package static func path(_ mode: String) throws -> String { "\(try directory())/lib\(mode).so" }
    package static var swift: String {
        get throws {
            let out = try directory()
            return try builtSwift.withLock { state in
                if state == nil { state = Result { () throws(TestFailure) in try buildSwift(into: out) } }
                return try state!.get()
            }
        }
    }

    private static func build() throws(TestFailure) -> String {
        do {
            let out = try temporaryDirectory("fixtures")
            let cc = "cc -std=c11 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -pthread -I \(Paths.header)"
            let source = "\(Paths.fixtures)/fixture_driver.c"
            for mode in modes { try shell("\(cc) -DFAULT_\(mode) \(source) -o \(out)/lib\(mode).so") }
            try shell("\(cc) -DDRIVER_VERSION='\"1.2.0\"' \(source) -o \(out)/libfixture_v12.so")
            // Two providers of one operation, and rebuilt versions of one, for hot reload.
            for (name, type, version) in [
                ("provider_a", "a", "1.0.0"), ("provider_b", "b", "1.0.0"),
                ("provider_a_v2", "a", "2.0.0"), ("provider_a_v3", "a", "3.0.0"),
            ] {
                try shell(
                    "\(cc) -DTYPE_NAME='\"bindings.provider-\(type)\"' -DDRIVER_VERSION='\"\(version)\"' \(source) -o \(out)/lib\(name).so"
                )
            }
            return out
        } catch let error as TestFailure {
            throw error
        } catch {
            throw TestFailure("building fixtures: \(error)")
        }
    }

    /// Into a folder of its own, so that folders of C fixtures used as drivers paths hold the
    /// same files whether or not a test built the Swift fixture yet.
    private static func buildSwift(into parent: String) throws(TestFailure) -> String {
        do {
            let out = "\(parent)/swift"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let swiftc = "swiftc -swift-version 6 -I \(Paths.header)"
            // DriverKit re-exports DaprMetadata and SystemThreads: build them first, link all three.
            for module in ["DaprMetadata", "SystemThreads", "DriverKit"] {
                try shell(
                    "\(swiftc) -I \(out) -parse-as-library -module-name \(module) -emit-module -emit-module-path \(out)/\(module).swiftmodule -emit-library -static \(Paths.root)/Sources/\(module)/*.swift -o \(out)/lib\(module).a"
                )
            }
            try shell(
                "\(swiftc) -emit-library -module-name SwiftFixture -I \(out) -L \(out) -lDriverKit -lDaprMetadata -lSystemThreads \(Paths.fixtures)/SwiftFixture.swift -o \(out)/libswiftfixture.so"
            )
            return "\(out)/libswiftfixture.so"
        } catch let error as TestFailure {
            throw error
        } catch {
            throw TestFailure("building the Swift fixture: \(error)")
        }
    }
}
