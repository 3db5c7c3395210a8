import Foundation
import Synchronization

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
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to their end before waiting, so a chatty child never blocks on a full pipe.
    let errData = Mutex(Data())
    let errRead = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        errData.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() }
        errRead.signal()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    errRead.wait()
    process.waitUntilExit()
    return Finished(
        status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self))
}

/// Runs `command` with /bin/sh and throws with its output when it fails.
public func shell(_ command: String, in directory: String? = nil) throws {
    let result = try run("/bin/sh", ["-c", command], in: directory)
    guard result.status == 0 else {
        throw TestFailure("`\(command)` failed (\(result.status)):\n\(result.stdout)\(result.stderr)")
    }
}
