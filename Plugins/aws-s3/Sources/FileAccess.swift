import DriverKit
import Glibc

/// The files `filePath` names on the bindery host: read for create and bulkCreate, written for
/// bulkGet. Errors read as Go's `*PathError` (`open /x: no such file or directory`).
enum FileAccess {
    static func read(_ path: String, failure: String) throws(DriverError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error(failure, "open", path) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw error(failure, "read", path) }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// Creates or truncates `path` and writes `bytes` to it (as Go's `os.Create` and `io.Copy`).
    static func write(_ bytes: [UInt8], to path: String) throws(DriverError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw error("", "open", path) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw error("", "write", path) }
            offset += count
        }
    }

    private static func error(_ prefix: String, _ operation: String, _ path: String) -> DriverError {
        let reason = String(cString: strerror(errno)).lowercased()
        let message = "\(operation) \(path): \(reason)"
        return DriverError(.invalidArgument, prefix.isEmpty ? message : "\(prefix): \(message)")
    }
}
