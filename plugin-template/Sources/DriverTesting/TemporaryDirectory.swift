import Foundation

/// A fresh directory under the system's temporary folder (`TMPDIR`, else /tmp), with its real
/// path (no symbolic links in it), made for one test. Nothing removes it unless the test calls
/// `remove()`: a failed test's files stay for a look.
public struct TemporaryDirectory: Sendable {
    /// The directory's absolute real path.
    public let path: String

    /// Makes `<tmp>/bindery-test-<label>-XXXXXX` (mkdtemp: the name is unique and the
    /// directory is readable only by this user).
    public init(_ label: String = "test") throws {
        var base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        var template = Array("\(base)/bindery-test-\(label)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw TestFailure("cannot make a temporary directory under \(base): \(String(cString: strerror(errno)))")
        }
        guard let real = realpath(made, nil) else {
            throw TestFailure("cannot resolve \(String(cString: made)): \(String(cString: strerror(errno)))")
        }
        defer { free(real) }
        path = String(cString: real)
    }

    /// Writes `text` to `relative` (a path inside the directory), making parent directories.
    public func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The bytes of `relative`.
    public func read(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative)))
    }

    /// Makes `relative` a symbolic link to `target` (which need not exist).
    public func link(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + relative, withDestinationPath: target)
    }

    /// Removes the directory and everything in it (symbolic links, not what they point to).
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The path of a fresh `TemporaryDirectory` labelled `label`.
public func temporaryDirectory(_ label: String) throws -> String {
    try TemporaryDirectory(label).path
}
