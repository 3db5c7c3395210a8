import DriverKit
import DriverTesting
import Testing

@testable import LocalStorageDriver

/// create / get / list / delete on real files in a temporary directory.
@Suite struct OperationsTests {
    @Test func createWritesTheUnquotedStringAndAnswersTheRelativeName() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path)
        defer { Task { await driver.stop() } }
        #expect(
            try await driver.call("create", "\"hello world\"", fileName: "greeting.txt").text
                == #"{"fileName":"greeting.txt"}"#)
        #expect(try dir.read("greeting.txt") == Array("hello world".utf8))
        #expect(try await driver.call("get", fileName: "greeting.txt").text == "hello world")
    }

    @Test func createDecodesBase64AfterUnquotingAsDaprDoes() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path)
        _ = try await driver.call("create", "\"aGVsbG8=\"", fileName: "b64")
        #expect(try dir.read("b64") == Array("hello".utf8))
        // components-contrib#3391: "test" is valid base64 and becomes 3 bytes.
        _ = try await driver.call("create", "\"test\"", fileName: "quirk")
        #expect(try dir.read("quirk") == [0xB5, 0xEB, 0x2D])
        // Missing data arrives as null, which is base64 too.
        _ = try await driver.call("create", "null", fileName: "null")
        #expect(try dir.read("null") == [0x9E, 0xE9, 0x65])
        await driver.stop()
    }

    @Test func createKeepsJSONObjectsAndEscapedStrings() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path)
        _ = try await driver.call("create", #"{"a":2,"b":1}"#, fileName: "object.json")
        #expect(try dir.read("object.json") == Array(#"{"a":2,"b":1}"#.utf8))
        _ = try await driver.call("create", #""a\u003cb \u0026 c\u003e\n\"q\"""#, fileName: "escaped")
        #expect(try dir.read("escaped") == Array("a<b & c>\n\"q\"".utf8))
        await driver.stop()
    }

    @Test func createMakesParentsAndWithoutFileNameUsesAUUID() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path)
        #expect(try await driver.call("create", "\"x\"", fileName: "a/b/./c.txt").text == #"{"fileName":"a/b/c.txt"}"#)
        #expect(try FileSystem.kind(dir.path + "/a/b") == .directory)
        let answer = try await driver.call("create", "\"x\"").text
        let name = String(answer.dropFirst(#"{"fileName":""#.count).dropLast(2))
        #expect(name.count == 36)
        #expect(Array(name)[14] == "4")
        #expect(try FileSystem.kind(dir.path + "/" + name) == .file)
        await driver.stop()
    }

    @Test func getOfAMissingFileSaysFileNotFoundWithTheAbsolutePath() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path)
        #expect(await driver.failure("get", fileName: "nope.txt") == "file not found: \(dir.path)/nope.txt")
        #expect(await driver.failure("get") == "get needs the fileName metadata (a path relative to rootPath)")
        await driver.stop()
    }

    @Test func listIsRecursiveSortedAndAbsolute() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("b.txt", "1")
        try dir.write("a/z.txt", "2")
        try dir.write("a/y/x.txt", "3")
        try dir.write("c <&>.txt", "4")
        let driver = try await startedDriver(root: dir.path)
        let p = dir.path
        #expect(
            try await driver.call("list").text
                == #"["\#(p)/a/y/x.txt","\#(p)/a/z.txt","\#(p)/b.txt","\#(p)/c \u003c\u0026\u003e.txt"]"#)
        #expect(try await driver.call("list", fileName: "a").text == #"["\#(p)/a/y/x.txt","\#(p)/a/z.txt"]"#)
        #expect(
            await driver.failure("list", fileName: "b.txt")
                == "unable to list files as the file specified is not a directory [\(p)/b.txt]")
        #expect(await driver.failure("list", fileName: "missing") == "stat \(p)/missing: no such file or directory")
        await driver.stop()
    }

    @Test func listOfAnEmptyRootIsAnEmptyArray() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let driver = try await startedDriver(root: dir.path)
        #expect(try await driver.call("list").text == "[]")
        await driver.stop()
    }

    @Test func deleteRemovesAndAnswersNothing() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("gone.txt", "x")
        let driver = try await startedDriver(root: dir.path)
        #expect(try await driver.call("delete", fileName: "gone.txt") == nil)
        #expect(try FileSystem.kind(dir.path + "/gone.txt") == nil)
        #expect(
            await driver.failure("delete", fileName: "gone.txt")
                == "remove \(dir.path)/gone.txt: no such file or directory")
        #expect(await driver.failure("delete") == "delete needs the fileName metadata (a path relative to rootPath)")
        await driver.stop()
    }
}
