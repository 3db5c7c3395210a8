import DriverKit
import DriverTesting
import Glibc
import Testing

@testable import LocalStorageDriver

/// Configuration, root handling and lifecycle.
@Suite struct LocalStorageDriverTests {
    private func startError(_ root: String?) async -> DriverError? {
        do {
            let driver = try LocalStorageDriver(
                configuration: DriverConfiguration(
                    componentName: "files", type: "bindings.localstorage", directions: [.output],
                    metadata: root.map { ["rootPath": $0] } ?? [:]))
            try await driver.start()
            await driver.stop()
            return nil
        } catch {
            return error as? DriverError
        }
    }

    @Test func descriptorIsOutputWithFourOperations() {
        let descriptor = LocalStorageDriver.descriptor
        #expect(descriptor.type == "bindings.localstorage")
        #expect(descriptor.directions == [.output])
        #expect(descriptor.operations == ["create", "get", "list", "delete"])
        #expect(descriptor.fields.map(\.name) == ["rootPath"])
    }

    @Test func missingRootPathIsRejected() async {
        #expect(await startError(nil)?.message == "files: metadata \"rootPath\" is required")
    }

    @Test(arguments: ["/proc/self", "/sys", "/boot/x", "/var/run/secrets/kubernetes.io", "/proc/../proc/1"])
    func systemDirectoriesAreRefused(_ root: String) async {
        let error = await startError(root)
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("which is not allowed") == true)
    }

    @Test func controlCharactersInRootPathAreRefused() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let error = await startError(dir.path + "/cut\u{0}rest")
        #expect(error?.code == .invalidArgument)
        #expect(
            error?.message
                == #"rootPath "\#(dir.path)/cut\x00rest" contains a control character (U+0000): use printable characters only"#
        )
        #expect(try FileSystem.kind(dir.path + "/cut") == nil)
        #expect(await startError(dir.path + "/tab\there")?.message.contains("(U+0009)") == true)
    }

    @Test func rootSymlinkIntoAForbiddenDirectoryIsRefused() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.link("proc-link", to: "/proc/self")
        #expect(
            await startError(dir.path + "/proc-link")?.message
                == "rootPath '\(dir.path)/proc-link' is inside /proc, which is not allowed")
    }

    @Test func missingRootIsCreatedAndRelativeRootsFollowTheWorkingDirectory() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path + "/new/deeper")
        #expect(try FileSystem.kind(dir.path + "/new/deeper") == .directory)
        await driver.stop()

        // A relative root resolves against the working directory. The test does not chdir: the
        // working directory is the whole test process's, and servers and apps that other tests
        // spawn meanwhile would start in a folder this test then deletes.
        let up = String(repeating: "../", count: try FileSystem.currentDirectory().split(separator: "/").count)
        let relative = try await startedDriver(root: up + dir.path.dropFirst() + "/rel/files")
        _ = try await relative.call("create", "\"x\"", fileName: "f")
        #expect(try dir.read("rel/files/f") == Array("x".utf8))
        await relative.stop()
    }

    @Test func rootThroughASymlinkIsResolved() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("real/keep", "")
        try dir.link("alias", to: dir.path + "/real")
        let driver = try await startedDriver(root: dir.path + "/alias")
        #expect(try await driver.call("list").text == #"["\#(dir.path)/real/keep"]"#)
        await driver.stop()
    }

    @Test func invokeBeforeStartAndAfterStopIsUnavailable() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try LocalStorageDriver(
            configuration: DriverConfiguration(
                componentName: "files", type: "bindings.localstorage", directions: [.output],
                metadata: ["rootPath": dir.path]))
        #expect(await driver.failure("list") == "the binding is not started")
        try await driver.start()
        await driver.stop()
        #expect(await driver.failure("list") == "the binding is stopping")
        await driver.stop()  // twice is fine
    }

    @Test func manyConcurrentCallsAllComplete() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask { _ = try await driver.call("create", "\"n\(index)\"", fileName: "n/\(index)") }
            }
            try await group.waitForAll()
        }
        #expect(try await driver.call("list", fileName: "n").text.split(separator: ",").count == 50)
        await driver.stop()
    }

    @Test func builtDriverPassesTheConformanceSuite() async throws {
        let dir = try TemporaryDirectory("localstorage-conformance")
        defer { dir.remove() }
        try await DriverConformance(
            folder: driverFolder(), library: BuildProducts.library("bindery-localstorage"),
            overrides: ["rootPath": dir.path]
        ).run()
    }
}
