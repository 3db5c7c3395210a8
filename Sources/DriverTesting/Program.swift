import Foundation

/// What a program run to completion did.
public struct Finished: Sendable {
    public let status: Int32
    /// True when a signal ended it (`status` is then the signal number).
    public let signaled: Bool
    public let stdout: String
    public let stderr: String
}

/// Runs `program` with `arguments` to completion, capturing both outputs.
@discardableResult
public func run(
    _ program: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
) throws -> Finished {
    // posix_spawn and waitpid, not Foundation's Process: its waitUntilExit was seen to wait for
    // ever for a child that had exited, with tests running in parallel. Output goes to files,
    // not pipes: a server another test spawns at the same moment inherits whatever descriptors
    // are open, and a pipe's write end held by it would keep a read waiting for as long as it runs.
    let folder = try temporaryDirectory("run")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let outPath = "\(folder)/stdout", errPath = "\(folder)/stderr"
    let pid = try spawn(
        [program] + arguments, stdout: outPath, stderr: errPath, directory: directory, environment: environment)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    let signal = status & 0x7f
    let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
    return Finished(
        status: signal == 0 ? (status >> 8) & 0xff : signal, signaled: signal != 0,
        stdout: read(outPath), stderr: read(errPath))
}

/// Runs `command` with /bin/sh and throws with its output when it fails.
public func shell(_ command: String, in directory: String? = nil) throws {
    let result = try run("/bin/sh", ["-c", command], in: directory)
    guard result.status == 0 else {
        throw TestFailure("`\(command)` failed (\(result.status)):\n\(result.stdout)\(result.stderr)")
    }
}
