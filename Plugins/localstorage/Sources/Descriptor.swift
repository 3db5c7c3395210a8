import Glibc

/// An open file descriptor, closed when the last reference to it goes. Used on the driver's
/// I/O thread only.
final class Descriptor: Sendable {
    let raw: Int32

    init(_ raw: Int32) { self.raw = raw }

    deinit { close(raw) }

    /// What the descriptor is open on (fstat).
    func kind() throws(FileSystem.Failure) -> FileSystem.Kind {
        var info = stat()
        guard fstat(raw, &info) == 0 else { throw FileSystem.Failure(operation: "stat", code: errno) }
        return FileSystem.Kind(mode: info.st_mode)
    }

    /// Everything up to the end of the file.
    func readAll() throws(FileSystem.Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(raw, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw FileSystem.Failure(operation: "read", code: errno) }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    func writeAll(_ bytes: [UInt8]) throws(FileSystem.Failure) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(raw, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw FileSystem.Failure(operation: "write", code: errno) }
            written += count
        }
    }

    /// The entry names of this directory, sorted bytewise, without `.` and `..`. Consumes a
    /// duplicate of the descriptor (fdopendir owns what it is given), so this one stays open.
    func entryNames() throws(FileSystem.Failure) -> [String] {
        let copy = fcntl(raw, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw FileSystem.Failure(operation: "dup", code: errno) }
        guard let stream = fdopendir(copy) else {
            let code = errno
            close(copy)
            throw FileSystem.Failure(operation: "opendir", code: code)
        }
        defer { closedir(stream) }
        rewinddir(stream)  // a duplicate shares the offset: start from the first entry
        var names: [[UInt8]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }.map { String(decoding: $0, as: UTF8.self) }
    }
}

extension Descriptor {
    /// Removes the entry `name` of this directory without following it, like Go's `os.Remove`:
    /// a file, a symlink (not its target), any other non-directory, or an empty directory.
    func removeEntry(_ name: String) throws(FileSystem.Failure) {
        if unlinkat(raw, name, 0) == 0 { return }
        let code = errno
        guard code == EISDIR else { throw FileSystem.Failure(operation: "remove", code: code) }
        guard unlinkat(raw, name, AT_REMOVEDIR) == 0 else { throw FileSystem.Failure(operation: "remove", code: errno) }
    }
}
