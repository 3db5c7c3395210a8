import Glibc

/// File-system calls by path, for the configured root only (requests go through
/// `RootDirectory`, never by path). Blocking: run on `BlockingWorker`'s thread. Errors carry
/// Go-like texts (`mkdir /x: Permission denied`).
enum FileSystem {
    /// A failed call: which, on what (empty when the caller names the file itself), and errno.
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var path = ""
        var code: Int32

        var description: String {
            path.isEmpty ? String(cString: strerror(code)) : "\(operation) \(path): \(String(cString: strerror(code)))"
        }
        var isMissing: Bool { code == ENOENT || code == ENOTDIR }
    }

    enum Kind: Equatable, CustomStringConvertible {
        case file, directory, symlink, fifo, socket, characterDevice, blockDevice

        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .file
            case S_IFDIR: self = .directory
            case S_IFLNK: self = .symlink
            case S_IFIFO: self = .fifo
            case S_IFSOCK: self = .socket
            case S_IFCHR: self = .characterDevice
            default: self = .blockDevice
            }
        }

        var description: String {
            switch self {
            case .file: "a regular file"
            case .directory: "a directory"
            case .symlink: "a symbolic link"
            case .fifo: "a named pipe (FIFO)"
            case .socket: "a socket"
            case .characterDevice: "a character device"
            case .blockDevice: "a block device"
            }
        }
    }

    /// The kind of `path` without following a final symlink, or nil when it does not exist.
    static func kind(_ path: String) throws(Failure) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw Failure(operation: "lstat", path: path, code: errno)
        }
        return Kind(mode: info.st_mode)
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

    /// Opens the directory `path` (following symlinks) for use as a descriptor base.
    static func openDirectory(_ path: String) throws(Failure) -> Descriptor {
        let raw = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard raw >= 0 else { throw Failure(operation: "open", path: path, code: errno) }
        return Descriptor(raw)
    }

    /// The entry names of `directory`, sorted bytewise, without `.` and `..`.
    static func names(in directory: String) throws(Failure) -> [String] {
        try openDirectory(directory).entryNames()
    }
}
