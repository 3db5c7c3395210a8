import Foundation
import Synchronization

/// Where things are: the package root (from this file's path) and its build products.
enum Paths {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Support, HostTests, Tests, file
        return url.path
    }()

    static var header: String { "\(root)/Sources/PluginABI/include" }
    static var fixtures: String { "\(root)/Tests/HostTests/Fixtures" }

    /// The bindery executable `swift build` produced (scripts/test builds before testing).
    static var bindery: String {
        get throws {
            let path = "\(root)/.build/debug/bindery"
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw TestFailure("\(path) is missing: run `swift build` first (scripts/test does)")
            }
            return path
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What a finished process did.
struct Finished {
    let status: Int32
    let signaled: Bool
    let stdout: String
    let stderr: String
}

/// Runs a program to completion with its output captured.
@discardableResult
func run(_ program: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Finished {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes fully before waiting, so a chatty child never blocks on a full pipe.
    let errData = Mutex(Data())
    let errReader = Thread { errData.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() } }
    errReader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while errReader.isExecuting || !errReader.isFinished { usleep(1000) }
    return Finished(
        status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
        stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self))
}

/// Runs a shell command and throws with its output if it fails.
func shell(_ command: String, in directory: String? = nil) throws {
    let result = try run("/bin/sh", ["-c", command], in: directory)
    guard result.status == 0 else {
        throw TestFailure("`\(command)` failed (\(result.status)):\n\(result.stdout)\(result.stderr)")
    }
}

/// A fresh temporary directory.
func temporaryDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "bindery-test-\(label)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
