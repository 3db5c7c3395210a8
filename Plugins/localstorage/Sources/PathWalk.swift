import COpenat2
import Glibc

/// Resolution below a `StorageRoot` without openat2: one component at a time, each opened with
/// O_NOFOLLOW relative to the directory before it, so every step starts in a directory already
/// known to be inside the root. A symlink on the way is read (readlinkat) and its target put in
/// front of what is left: `..` goes back up the directories walked, never above the root, and
/// an absolute target must lie under the root's canonical path. Also what explains a refusal of
/// openat2, which only says EXDEV or ELOOP.
struct PathWalk {
    private let root: StorageRoot
    /// The directories below the root the walk went down, innermost last, with their names.
    private var directories: [(descriptor: Descriptor, name: String)] = []
    /// What is left to walk, the next component last.
    private var pending: [String]
    /// Symlinks followed and directories made; bounded like the kernel's 40 links (ELOOP).
    private var detours = 0

    init(root: StorageRoot, _ components: [String]) {
        self.root = root
        pending = components.reversed()
    }

    private var current: Int32 { directories.last?.descriptor.raw ?? root.descriptor.raw }

    /// The path walked so far, then `more`, as clean absolute text for messages.
    private func shown(_ more: [String] = []) -> String {
        let path = ([root.path] + directories.map(\.name) + more).joined(separator: "/")
        return "/" + StorageRoot.lexicalComponents(path).joined(separator: "/")
    }

    /// Opens the file with `flags` (which include O_NOFOLLOW). Blocking.
    mutating func open(flags: Int32, mode: mode_t, makingParents: Bool) throws(PathError) -> Descriptor {
        while let name = pending.popLast() {
            if name.isEmpty || name == "." { continue }
            if name == ".." {
                guard directories.popLast() != nil else {
                    throw .outside(resolved: shown([".."] + pending.reversed()))
                }
                continue
            }
            let isLast = pending.isEmpty
            let raw = openat(current, name, isLast ? flags : BD_O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, mode)
            let code = errno
            if raw >= 0, isLast { return Descriptor(raw) }
            if raw >= 0 {
                directories.append((Descriptor(raw), name))
            } else if code == ENOENT, makingParents, !isLast {
                try makeDirectory(name)
            } else if code == ELOOP || code == ENOTDIR, try follow(name) {
                continue
            } else {
                throw .failed(FileSystem.Failure(operation: "open", path: shown([name]), code: code))
            }
        }
        // The path ends in a directory already walked: the root itself, or one reached by `..`.
        let raw = openat(current, ".", flags, mode)
        guard raw >= 0 else { throw .failed(FileSystem.Failure(operation: "open", path: shown(), code: errno)) }
        return Descriptor(raw)
    }

    /// Makes the missing directory `name` and walks into it (or whatever stands there by then).
    private mutating func makeDirectory(_ name: String) throws(PathError) {
        try countDetour(at: name)
        if mkdirat(current, name, 0o777) != 0, errno != EEXIST {
            throw .failed(FileSystem.Failure(operation: "mkdir", path: shown([name]), code: errno))
        }
        pending.append(name)
    }

    /// When `name` in the current directory is a symlink: puts its target in front of what is
    /// left and answers true. False when it is not one (the caller reports its own error).
    private mutating func follow(_ name: String) throws(PathError) -> Bool {
        guard let target = readLink(name) else { return false }
        try countDetour(at: name)
        let rest = pending.reversed()
        if target.hasPrefix("/") {
            // Lexically cleaned, then walked down from the root like any other path.
            let parts = StorageRoot.lexicalComponents(target).map(String.init)
            let rootParts = StorageRoot.lexicalComponents(root.path).map(String.init)
            guard parts.starts(with: rootParts) else {
                throw .outside(
                    resolved: "/"
                        + StorageRoot.lexicalComponents(([target] + rest).joined(separator: "/"))
                        .joined(separator: "/"))
            }
            directories.removeAll()
            pending = (parts.dropFirst(rootParts.count) + rest).reversed()
        } else {
            pending = (target.split(separator: "/").map(String.init) + rest).reversed()
        }
        return true
    }

    /// Counts a symlink followed or a directory made at `name`; ELOOP past 40.
    private mutating func countDetour(at name: String) throws(PathError) {
        detours += 1
        guard detours <= 40 else {
            throw .failed(FileSystem.Failure(operation: "open", path: shown([name] + pending.reversed()), code: ELOOP))
        }
    }

    /// The target of the symlink `name` in the current directory; nil when it is not a symlink.
    private func readLink(_ name: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX))
        let count = buffer.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { readlinkat(current, name, $0.baseAddress!, $0.count) }
        }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}
