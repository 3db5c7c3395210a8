import Glibc

/// Whole-file reads and writes and directory listings, with errno turned into text.
package enum Files {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    package static func read(_ path: String, limit: Int = 1 << 30) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: errorText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(description: errorText()) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Failure(description: "not a regular file") }
        guard Int(info.st_size) <= limit else { throw Failure(description: "file is larger than \(limit) bytes") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var total = 0
        while total < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw Failure(description: errorText()) }
            if n == 0 { break }
            total += n
        }
        return Array(bytes[0..<total])
    }

    /// Writes `bytes` to a temporary name beside `path`, then renames it into place.
    package static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(Failure) {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(description: "\(temporary): \(errorText())") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let text = errorText()
                close(fd)
                unlink(temporary)
                throw Failure(description: "\(temporary): \(text)")
            }
            written += n
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw Failure(description: "\(path): \(errorText())") }
    }

    /// Creates `path` (and missing parents) with `mode`.
    package static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws(Failure) {
        if isDirectory(path) { return }
        let parent = FilePath.directory(of: path)
        if parent != path, !isDirectory(parent) { try makeDirectory(parent, mode: 0o755) }
        guard mkdir(path, mode) == 0 || errno == EEXIST else { throw Failure(description: "\(path): \(errorText())") }
    }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Names in `directory`, sorted, without "." and "..".
    package static func list(_ directory: String) throws(Failure) -> [String] {
        guard let dir = opendir(directory) else { throw Failure(description: "\(directory): \(errorText())") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
