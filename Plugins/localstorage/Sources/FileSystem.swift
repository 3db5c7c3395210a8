import Glibc

/// The driver's only calls into the file system: blocking, run on `BlockingWorker`'s thread.
/// Errors carry Go-like texts (`open /x: no such file or directory`).
enum FileSystem {
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var path: String
        var code: Int32

        var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
        var isMissing: Bool { code == ENOENT || code == ENOTDIR }
    }

    enum Kind { case file, directory, symlink, other }

    /// The kind of `path` without following a final symlink, or nil when it does not exist.
    static func kind(_ path: String) throws(Failure) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw Failure(operation: "lstat", path: path, code: errno)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// The canonical absolute path of an existing `path`, every symlink resolved.
    static func realPath(_ path: String) throws(Failure) -> String {
        guard let resolved = realpath(path, nil) else { throw Failure(operation: "realpath", path: path, code: errno) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func currentDirectory() throws(Failure) -> String {
        guard let buffer = getcwd(nil, 0) else { throw Failure(operation: "getcwd", path: ".", code: errno) }
        defer { free(buffer) }
        return String(cString: buffer)
    }

    /// `mkdir -p` with `mode` (before the umask), like Go's `os.MkdirAll`.
    static func makeDirectories(_ path: String, mode: mode_t) throws(Failure) {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) != 0, errno != EEXIST {
                throw Failure(operation: "mkdir", path: prefix, code: errno)
            }
        }
        var info = stat()  // stat, not lstat: a symlink to a directory is fine here.
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw Failure(operation: "mkdir", path: path, code: ENOTDIR)
        }
    }

    /// Creates or truncates `path` (mode 0666 before the umask, never through a final symlink)
    /// and writes `bytes`.
    static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw Failure(operation: "open", path: path, code: errno) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Failure(operation: "write", path: path, code: errno) }
            written += count
        }
    }

    /// The whole content of the regular file `path` (a final symlink is not followed).
    static func read(_ path: String) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(operation: "open", path: path, code: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Failure(operation: "stat", path: path, code: errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Failure(operation: "read", path: path, code: EISDIR) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Failure(operation: "read", path: path, code: errno) }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// Removes a file, a symlink (not its target) or an empty directory, like Go's `os.Remove`.
    static func remove(_ path: String) throws(Failure) {
        if unlink(path) == 0 { return }
        let unlinkError = errno
        if unlinkError == EISDIR || unlinkError == EPERM, rmdir(path) == 0 { return }
        throw Failure(operation: "remove", path: path, code: unlinkError == EPERM ? errno : unlinkError)
    }

    /// Every non-directory entry under `directory`, recursively, in Go's `filepath.Walk` order
    /// (names sorted bytewise in each directory); symlinks are listed, not followed.
    static func walk(_ directory: String) throws(Failure) -> [String] {
        var result: [String] = []
        try walk(directory, depth: 0, into: &result)
        return result
    }

    private static func walk(_ directory: String, depth: Int, into result: inout [String]) throws(Failure) {
        guard depth < 256 else { throw Failure(operation: "walk", path: directory, code: ELOOP) }
        for name in try names(in: directory) {
            let path = directory == "/" ? "/" + name : directory + "/" + name
            if try kind(path) == .directory {
                try walk(path, depth: depth + 1, into: &result)
            } else {
                result.append(path)
            }
        }
    }

    /// The entry names of `directory`, sorted bytewise, without `.` and `..`.
    static func names(in directory: String) throws(Failure) -> [String] {
        guard let stream = opendir(directory) else { throw Failure(operation: "open", path: directory, code: errno) }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }.map { String(decoding: $0, as: UTF8.self) }
    }
}
