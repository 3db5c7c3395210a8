import DriverKit
import DriverTesting
import Testing

@testable import LocalStorageDriver

/// fileName can never reach outside rootPath.
@Suite struct ConfinementTests {
    @Test(arguments: ["create", "get", "list", "delete"])
    func dotDotIsRefused(_ operation: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path + "/root")
        #expect(
            await driver.failure(operation, fileName: "../escape")
                == "fileName '../escape' contains '..': it must stay inside rootPath")
        #expect(
            await driver.failure(operation, fileName: "a/../../escape")
                == "fileName 'a/../../escape' contains '..': it must stay inside rootPath")
        #expect(try FileSystem.kind(dir.path + "/escape") == nil)
        await driver.stop()
    }

    @Test(arguments: ["create", "get", "list", "delete"])
    func absolutePathIsRefused(_ operation: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path)
        #expect(
            await driver.failure(operation, fileName: "/etc/passwd")
                == "fileName '/etc/passwd' is absolute: give a path relative to rootPath")
        await driver.stop()
    }

    @Test(arguments: ["create", "get", "list", "delete"])
    func controlCharactersInFileNameAreRefused(_ operation: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path + "/root")
        #expect(
            await driver.failure(operation, "\"x\"", fileName: "cut\u{0}rest")
                == #"fileName "cut\x00rest" contains a control character (U+0000): use printable characters only"#)
        #expect(
            await driver.failure(operation, "\"x\"", fileName: "a/line\nbreak")
                == #"fileName "a/line\nbreak" contains a control character (U+000A): use printable characters only"#)
        #expect(try FileSystem.names(in: dir.path + "/root") == [])
        await driver.stop()
    }

    @Test(arguments: [StorageRoot.Resolution.openat2, .walk])
    func symlinkedDirectoryPointingOutsideIsRefused(_ resolution: StorageRoot.Resolution) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("outside/secret.txt", "secret")
        try dir.write("root/keep", "")
        try dir.link("root/out", to: dir.path + "/outside")
        let driver = try await startedDriver(root: dir.path + "/root", resolution: resolution)
        let expected =
            "fileName 'out/secret.txt' resolves to '\(dir.path)/outside/secret.txt' through a symlink, outside rootPath '\(dir.path)/root'"
        #expect(await driver.failure("get", fileName: "out/secret.txt") == expected)
        #expect(await driver.failure("delete", fileName: "out/secret.txt") == expected)
        #expect(await driver.failure("create", "\"x\"", fileName: "out/secret.txt") == expected)
        #expect(
            await driver.failure("create", "\"x\"", fileName: "out/new/file.txt").hasPrefix(
                "fileName 'out/new/file.txt' resolves to"))
        #expect(await driver.failure("list", fileName: "out").hasPrefix("fileName 'out' resolves to"))
        #expect(try dir.read("outside/secret.txt") == Array("secret".utf8))
        await driver.stop()
    }

    @Test(arguments: [StorageRoot.Resolution.openat2, .walk])
    func symlinkedFileAndDanglingLinkAreRefused(_ resolution: StorageRoot.Resolution) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("outside.txt", "secret")
        try dir.write("root/keep", "")
        try dir.link("root/file", to: dir.path + "/outside.txt")
        try dir.link("root/dangling", to: dir.path + "/not-there.txt")
        let driver = try await startedDriver(root: dir.path + "/root", resolution: resolution)
        #expect(
            await driver.failure("get", fileName: "file").hasPrefix(
                "fileName 'file' resolves to '\(dir.path)/outside.txt'"))
        #expect(
            await driver.failure("create", "\"x\"", fileName: "dangling")
                == "fileName 'dangling' resolves to '\(dir.path)/not-there.txt' through a symlink, outside rootPath '\(dir.path)/root'"
        )
        #expect(try FileSystem.kind(dir.path + "/not-there.txt") == nil)
        await driver.stop()
    }

    @Test(arguments: [StorageRoot.Resolution.openat2, .walk])
    func symlinkInsideTheRootIsFollowed(_ resolution: StorageRoot.Resolution) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("root/real/data.txt", "inside")
        try dir.link("root/alias", to: dir.path + "/root/real")
        let driver = try await startedDriver(root: dir.path + "/root", resolution: resolution)
        #expect(try await driver.call("get", fileName: "alias/data.txt").text == "inside")
        await driver.stop()
    }
}
