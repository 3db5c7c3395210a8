import DriverKit
import DriverTesting
import Testing

@testable import LocalStorageDriver

/// How symlinks inside the root are resolved; the same with openat2 and with the walk that
/// kernels without it take.
@Suite struct ResolutionTests {
    private static let both = [StorageRoot.Resolution.openat2, .walk]

    @Test(arguments: both)
    func relativeLinksInsideAreFollowed(_ resolution: StorageRoot.Resolution) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("root/a/b/data.txt", "deep")
        try dir.link("root/a/up", to: "..")
        try dir.link("root/short", to: "a/b")
        try dir.link("root/chain", to: "short")
        let driver = try await startedDriver(root: dir.path + "/root", resolution: resolution)
        #expect(try await driver.call("get", fileName: "chain/data.txt").text == "deep")
        #expect(try await driver.call("get", fileName: "a/up/short/data.txt").text == "deep")
        _ = try await driver.call("create", "\"new\"", fileName: "chain/new.txt")
        #expect(try dir.read("root/a/b/new.txt") == Array("new".utf8))
        #expect(
            try await driver.call("list", fileName: "short").text
                == #"["\#(dir.path)/root/short/data.txt","\#(dir.path)/root/short/new.txt"]"#)
        await driver.stop()
    }

    @Test(arguments: both)
    func relativeLinksClimbingOutAreRefused(_ resolution: StorageRoot.Resolution) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("outside/secret.txt", "secret")
        try dir.write("root/a/keep", "")
        try dir.link("root/a/out", to: "../../outside")
        let driver = try await startedDriver(root: dir.path + "/root", resolution: resolution)
        let expected =
            "fileName 'a/out/secret.txt' resolves to '\(dir.path)/outside/secret.txt' through a symlink, outside rootPath '\(dir.path)/root'"
        #expect(await driver.failure("get", fileName: "a/out/secret.txt") == expected)
        #expect(await driver.failure("create", "\"x\"", fileName: "a/out/secret.txt") == expected)
        #expect(await driver.failure("delete", fileName: "a/out/secret.txt") == expected)
        #expect(try dir.read("outside/secret.txt") == Array("secret".utf8))
        await driver.stop()
    }

    @Test(arguments: both)
    func aLinkLoopEndsWithTooManyLinks(_ resolution: StorageRoot.Resolution) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.link("one", to: "two")
        try dir.link("two", to: "one")
        let driver = try await startedDriver(root: dir.path, resolution: resolution)
        #expect(
            await driver.failure("get", fileName: "one/file")
                == "cannot read \(dir.path)/one/file: open \(dir.path)/one/file: Too many levels of symbolic links")
        await driver.stop()
    }

    @Test(arguments: both)
    func createThroughADanglingLinkInsideMakesItsTarget(_ resolution: StorageRoot.Resolution) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.link("later", to: "made/here.txt")
        let driver = try await startedDriver(root: dir.path, resolution: resolution)
        #expect(try await driver.call("create", "\"x\"", fileName: "later").text == #"{"fileName":"later"}"#)
        #expect(try dir.read("made/here.txt") == Array("x".utf8))
        await driver.stop()
    }

    @Test(arguments: both)
    func listShowsLinksWithoutFollowingThem(_ resolution: StorageRoot.Resolution) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("outside/secret.txt", "secret")
        try dir.write("root/sub/file", "x")
        try dir.link("root/out", to: dir.path + "/outside")
        try dir.link("root/sub/again", to: "..")
        let driver = try await startedDriver(root: dir.path + "/root", resolution: resolution)
        let root = dir.path + "/root"
        #expect(
            try await driver.call("list").text == #"["\#(root)/out","\#(root)/sub/again","\#(root)/sub/file"]"#)
        await driver.stop()
    }
}
