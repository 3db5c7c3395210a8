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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    // Output goes to files, not pipes: a server another test spawns at the same moment inherits
    // whatever descriptors are open, and a pipe's write end held by it would keep a read "to
    // end of file" waiting for as long as that server runs.
    let folder = try temporaryDirectory("run")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let outPath = "\(folder)/stdout", errPath = "\(folder)/stderr"
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardOutput = out
    process.standardError = err
    try process.run()
    try? out.close()
    try? err.close()
    process.waitUntilExit()
    let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
    return Finished(
        status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
        stdout: read(outPath), stderr: read(errPath))
}

/// Runs `command` with /bin/sh and throws with its output when it fails.
public func shell(_ command: String, in directory: String? = nil) throws {
    let result = try run("/bin/sh", ["-c", command], in: directory)
    guard result.status == 0 else {
        throw TestFailure("`\(command)` failed (\(result.status)):\n\(result.stdout)\(result.stderr)")
    }
}
