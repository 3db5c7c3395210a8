import DriverKit
import Synchronization

/// The root directory of a component, held open, and the only way a request's `fileName`
/// becomes a file.
///
/// A `fileName` never leaves the root: absolute names, `..` components and control characters
/// are refused, and every file is opened relative to the root's descriptor, never by path
/// (`StorageRoot+Beneath.swift`), so a directory swapped for a symlink to outside while a
/// request runs leads nowhere. (Dapr clamps such names into the root with securejoin instead,
/// then opens the path by name.)
final class StorageRoot: Sendable {
    /// How a path below the root is resolved: by the kernel (openat2 with RESOLVE_BENEATH), or
    /// by the driver's own walk, one openat with O_NOFOLLOW per component. `openat2` is the
    /// default and turns into `walk` for good when the kernel lacks it (ENOSYS); `walk` is kept
    /// selectable so that tests cover the path older kernels take.
    enum Resolution: Sendable { case openat2, walk }

    /// Canonical absolute path: symlinks resolved.
    let path: String
    let descriptor: Descriptor
    let kernelResolves: Atomic<Bool>

    var resolution: Resolution { kernelResolves.load(ordering: .relaxed) ? .openat2 : .walk }

    /// System directories Dapr refuses as a root (plus /run/secrets, where /var/run points).
    static let forbidden = ["/proc", "/sys", "/boot", "/var/run/secrets", "/run/secrets"]

    /// A request's file: the name as given, its name relative to the root, its absolute path
    /// (for messages), and its components (plain names) for `open`.
    struct Target: Sendable, Equatable {
        var fileName: String
        var relative: String
        var absolute: String
        var components: [String]
    }

    private init(path: String, descriptor: Descriptor, resolution: Resolution) {
        self.path = path
        self.descriptor = descriptor
        kernelResolves = Atomic(resolution == .openat2)
    }

    /// Resolves `configured` against the working directory, creates it (mode 0777 before the
    /// umask), resolves its symlinks and opens it. Blocking.
    static func open(_ configured: String, resolution: Resolution = .openat2) throws(DriverError) -> StorageRoot {
        do {
            let base = configured.hasPrefix("/") ? "" : try FileSystem.currentDirectory()
            let absolute = "/" + lexicalComponents(base + "/" + configured).joined(separator: "/")
            try refuseForbidden(absolute, configured: configured)
            try FileSystem.makeDirectories(absolute, mode: 0o777)
            let real = try FileSystem.realPath(absolute)
            try refuseForbidden(real, configured: configured)
            return StorageRoot(path: real, descriptor: try FileSystem.openDirectory(real), resolution: resolution)
        } catch let error as DriverError {
            throw error
        } catch {
            throw DriverError(.unavailable, "rootPath '\(configured)' cannot be used: \(error)")
        }
    }

    private static func refuseForbidden(_ path: String, configured: String) throws(DriverError) {
        for directory in forbidden where path == directory || path.hasPrefix(directory + "/") {
            throw DriverError(.invalidArgument, "rootPath '\(configured)' is inside \(directory), which is not allowed")
        }
    }

    /// `path` split on `/` with empty and `.` components dropped and `..` applied (like Go's
    /// filepath.Clean for an absolute path).
    static func lexicalComponents(_ path: String) -> [Substring] {
        var components: [Substring] = []
        for component in path.split(separator: "/") where component != "." {
            if component == ".." { _ = components.popLast() } else { components.append(component) }
        }
        return components
    }

    /// The file `fileName` names under the root; `""` names the root itself. Pure: nothing is
    /// looked up until the file is opened.
    func resolve(_ fileName: String) throws(DriverError) -> Target {
        try ControlCharacters.refuse(in: fileName, field: "fileName")
        if fileName.hasPrefix("/") {
            throw DriverError(.invalidArgument, "fileName '\(fileName)' is absolute: give a path relative to rootPath")
        }
        let components = fileName.split(separator: "/").filter { $0 != "." }.map(String.init)
        if components.contains("..") {
            throw DriverError(.invalidArgument, "fileName '\(fileName)' contains '..': it must stay inside rootPath")
        }
        let relative = components.joined(separator: "/")
        let absolute = relative.isEmpty ? path : (path == "/" ? "" : path) + "/" + relative
        return Target(fileName: fileName, relative: relative, absolute: absolute, components: components)
    }
}
