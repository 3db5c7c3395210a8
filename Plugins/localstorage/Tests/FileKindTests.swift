import DriverKit
import DriverTesting
import Glibc
import Synchronization
import Testing

@testable import LocalStorageDriver

/// Only regular files are read and written; a symlink is deleted as a link (issue 9, items 7
/// and 10).
@Suite struct FileKindTests {
    @Test func getOfAFIFOFailsPromptlyAndTheNextGetIsServed() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("normal.txt", "fine")
        #expect(mkfifo(dir.path + "/pipe", 0o600) == 0)
        let driver = try await startedDriver(root: dir.path)
        let answer = await answer(unblocking: dir.path + "/pipe", with: O_WRONLY) {
            await driver.failure("get", fileName: "pipe")
        }
        #expect(answer == "cannot read \(dir.path)/pipe: it is a named pipe (FIFO), not a regular file")
        #expect(try await driver.call("get", fileName: "normal.txt").text == "fine")
        await driver.stop()
    }

    @Test func createOverAFIFOFailsPromptly() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(mkfifo(dir.path + "/pipe", 0o600) == 0)
        let driver = try await startedDriver(root: dir.path)
        let answer = await answer(unblocking: dir.path + "/pipe", with: O_RDONLY) {
            await driver.failure("create", "\"x\"", fileName: "pipe")
        }
        #expect(answer == "cannot write \(dir.path)/pipe: it is a named pipe (FIFO), not a regular file")
        await driver.stop()
    }

    @Test func getOfADirectoryIsRefused() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("sub/file", "x")
        let driver = try await startedDriver(root: dir.path)
        #expect(
            await driver.failure("get", fileName: "sub")
                == "cannot read \(dir.path)/sub: it is a directory, not a regular file")
        await driver.stop()
    }

    @Test func deleteOfASymlinkRemovesTheLinkNotItsTarget() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("root/target.txt", "kept")
        try dir.write("root/folder/inner", "kept")
        try dir.write("outside.txt", "kept")
        try dir.link("root/link", to: dir.path + "/root/target.txt")
        try dir.link("root/relative", to: "target.txt")
        try dir.link("root/folder-link", to: "folder")
        try dir.link("root/out", to: dir.path + "/outside.txt")
        try dir.link("root/dangling", to: "nowhere")
        let driver = try await startedDriver(root: dir.path + "/root")
        for name in ["link", "relative", "folder-link", "out", "dangling"] {
            #expect(try await driver.call("delete", fileName: name) == nil, "delete \(name)")
            #expect(try FileSystem.kind(dir.path + "/root/" + name) == nil, "\(name) is gone")
        }
        #expect(try dir.read("root/target.txt") == Array("kept".utf8))
        #expect(try dir.read("root/folder/inner") == Array("kept".utf8))
        #expect(try dir.read("outside.txt") == Array("kept".utf8))
        await driver.stop()
    }

    /// What `request` answers. If it has not answered after 30 s (it waits on the FIFO for ever;
    /// a loaded run on 2 cores has taken over 10 s to answer), the FIFO is opened from the other
    /// side with `flags` so that it ends, and the answer says so.
    private func answer(
        unblocking fifo: String, with flags: Int32, _ request: @escaping @Sendable () async -> String
    ) async -> String {
        let answered = Mutex<String?>(nil)
        let task = Task {
            let text = await request()
            answered.withLock { $0 = text }
        }
        do {
            try await eventually("an answer", timeout: .seconds(30)) { answered.withLock { $0 != nil } }
            return answered.withLock { $0 ?? "" }
        } catch {
            // A reader waits for a writer to open and close; a writer needs a reader while it writes.
            let other = open(fifo, flags | O_NONBLOCK | O_CLOEXEC)
            if flags == O_WRONLY { close(other) }
            await task.value
            if flags != O_WRONLY { close(other) }
            return "no answer within 30 s (then: \(answered.withLock { $0 ?? "" }))"
        }
    }
}
