import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// `bindery drivers` and `bindery inspect` as a user runs them.
@Suite struct CLITests {
    private func bindery(_ arguments: [String], environment: [String: String] = [:]) throws -> Finished {
        try run(try Paths.bindery, arguments, environment: environment)
    }

    private func expectOneLineRefusal(_ result: Finished, naming file: String) {
        #expect(!result.signaled, "bindery died of a signal")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("bindery: cannot load \(file): "))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "expected one line, got: \(result.stderr)")
    }

    @Test func inspectRefusesTruncatedCopiesWithOneLine() throws {
        let driver = try Data(contentsOf: URL(fileURLWithPath: try FixtureDrivers.path("NONE")))
        let dir = try temporaryDirectory("truncated")
        // 1000, 4096 and 8192 bytes are the cuts that SIGBUS inside dlopen (plugin-abi.md B6).
        for length in [0, 10, 64, 1000, 4096, 8192, driver.count / 2, driver.count - 1] {
            let file = "\(dir)/cut\(length).so"
            try driver.prefix(length).write(to: URL(fileURLWithPath: file))
            let result = try bindery(["inspect", file])
            expectOneLineRefusal(result, naming: file)
        }
    }

    @Test func inspectRefusesTextFilesAndPrograms() throws {
        let dir = try temporaryDirectory("text")
        try "hello, I am text\n".write(toFile: "\(dir)/notes.so", atomically: true, encoding: .utf8)
        let text = try bindery(["inspect", "\(dir)/notes.so"])
        expectOneLineRefusal(text, naming: "\(dir)/notes.so")
        #expect(text.stderr.contains("not an ELF file"))
        let ls = try bindery(["inspect", "/bin/ls"])
        expectOneLineRefusal(ls, naming: "/bin/ls")
        #expect(ls.stderr.contains("executable, not a shared library"))
        let missing = try bindery(["inspect", "\(dir)/absent.so"])
        expectOneLineRefusal(missing, naming: "\(dir)/absent.so")
    }

    @Test func inspectPrintsDescriptorAndFieldTable() throws {
        let file = try FixtureDrivers.path("NONE")
        let result = try bindery(["inspect", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("bindings.fixture 1.0.0\n"))
        #expect(result.stdout.contains("operations:        echo, none, fail, async, acks"))
        #expect(result.stdout.contains("FIELD   TYPE    REQUIRED  DEFAULT  SENSITIVE  DESCRIPTION"))
        #expect(result.stdout.contains("events  int     no        3        no         How many input events to emit."))
        #expect(result.stdout.contains("token   string  yes       -        yes        A secret the fixture ignores."))
    }

    @Test func inspectJSONHasTheDocumentedShape() throws {
        let result = try bindery(["inspect", try FixtureDrivers.swift, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "type", "componentVersion", "driverVersion", "abiVersion", "directions", "operations",
                "inputMayOverlap", "toolchain", "summary", "fields", "file", "sha256",
            ])
        #expect(object["type"] as? String == "bindings.swiftfixture")
        #expect(
            object["toolchain"] as? String == "swift-6.3.1/shared"
                || (object["toolchain"] as? String)?.hasPrefix("swift-") == true)
        #expect((object["sha256"] as? String)?.count == 64)
    }

    @Test func driversListsFoundAndRejectedFiles() throws {
        let dir = try temporaryDirectory("list")
        for mode in ["NONE", "ABI_MAJOR", "NO_ENTRY"] {
            try FileManager.default.copyItem(
                atPath: try FixtureDrivers.path(mode), toPath: "\(dir)/\(mode.lowercased()).so")
        }
        try FileManager.default.copyItem(atPath: try FixtureDrivers.swift, toPath: "\(dir)/swift.so")
        let text = try bindery(["drivers", "--drivers-path", dir])
        #expect(text.status == 0)
        #expect(text.stdout.contains("bindings.fixture"))
        #expect(text.stdout.contains("bindings.swiftfixture"))
        #expect(text.stdout.contains("rejected:\n  \(dir)/abi_major.so: driver speaks ABI 2.0"))
        #expect(!text.stdout.contains("no_entry.so"), "a library without the entry symbol is skipped quietly")

        let json = try bindery(["drivers", "--json"], environment: ["BINDERY_DRIVERS_PATH": dir])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["searchPath"] as? [String] == [dir])
        let drivers = try #require(object["drivers"] as? [[String: Any]])
        #expect(drivers.compactMap { $0["type"] as? String }.sorted() == ["bindings.fixture", "bindings.swiftfixture"])
        let rejected = try #require(object["rejected"] as? [[String: Any]])
        #expect(rejected.compactMap { $0["code"] as? String } == ["incompatibleABI"])
    }

    @Test func defaultDriversPathIsTheExecutablesFolder() throws {
        let result = try bindery(["drivers", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let expected = URL(fileURLWithPath: try Paths.bindery).resolvingSymlinksInPath().deletingLastPathComponent()
            .path
        #expect(object["searchPath"] as? [String] == [expected])
    }

    @Test func badUsageIsOneLineAndExitTwo() throws {
        let result = try bindery(["drivers", "--frobnicate"])
        #expect(result.status == 2)
        #expect(result.stderr == "bindery: unknown option '--frobnicate' for 'drivers' (see 'bindery help')\n")
        let inspect = try bindery(["inspect"])
        #expect(inspect.status == 2)
        #expect(inspect.stderr == "bindery: usage: bindery inspect FILE [--json]\n")
    }

    /// A gRPC port already taken fails the start with one line naming the API, the address
    /// and the flag, as a taken HTTP port does.
    @Test func aTakenGRPCPortIsOneLineNamingTheFlag() throws {
        let taken = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(taken) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(taken, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 && listen(taken, 1) == 0
            }
        }
        try #require(bound)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(taken, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let result = try bindery(["run", "--dapr-http-port", "0", "--dapr-grpc-port", String(port), "--watch=false"])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("cannot serve the gRPC API on 127.0.0.1:\(port) (--dapr-grpc-port)"),
            "\(result.stderr)")
    }

    /// Values that parse as numbers but overflow what bindery can hold once trapped with a
    /// backtrace; each must be one line naming the flag, and exit status 2.
    @Test(arguments: [
        ["--max-body-size", "9223372036854775807Gi"], ["--max-body-size", "99999999999999999999"],
        ["--max-body-size", "2Ti"], ["--app-max-concurrency", "3000000000"],
        ["--app-max-concurrency", "99999999999999999999"], ["--app-port", "70000"], ["--dapr-http-port", "-1"],
        ["--max-connections", "0"], ["--dapr-grpc-port", "65536"], ["--app-protocol", "grpcs"],
        ["--app-protocol", "soap"],
    ])
    func outOfRangeFlagValuesExitWithOneLine(flag: [String]) throws {
        let result = try bindery(["run"] + flag)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("bindery: \(flag[0]) \"\(flag[1])\""), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "expected one line, got: \(result.stderr)")
    }
}
