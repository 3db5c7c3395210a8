import DriverKit

/// The root directory of a component, and the only way a request's `fileName` becomes a path.
///
/// A `fileName` never leaves the root: absolute names and `..` components are refused, and the
/// path is checked after every symlink is resolved, so a link inside the root that points
/// outside is refused too. (Dapr clamps such names into the root with securejoin instead.)
struct StorageRoot: Sendable {
    /// Canonical absolute path: symlinks resolved.
    let path: String

    /// System directories Dapr refuses as a root (plus /run/secrets, where /var/run points).
    static let forbidden = ["/proc", "/sys", "/boot", "/var/run/secrets", "/run/secrets"]

    /// A request's file: its name relative to the root, its absolute path (for messages), and
    /// the symlink-free path used for I/O.
    struct Target: Sendable, Equatable {
        var relative: String
        var absolute: String
        var real: String
    }

    /// Resolves `configured` against the working directory, creates it (mode 0777 before the
    /// umask) and resolves its symlinks. Blocking.
    static func open(_ configured: String) throws(DriverError) -> StorageRoot {
        do {
            let base = configured.hasPrefix("/") ? "" : try FileSystem.currentDirectory()
            let absolute = "/" + lexicalComponents(base + "/" + configured).joined(separator: "/")
            try refuseForbidden(absolute, configured: configured)
            try FileSystem.makeDirectories(absolute, mode: 0o777)
            let real = try FileSystem.realPath(absolute)
            try refuseForbidden(real, configured: configured)
            return StorageRoot(path: real)
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

    /// The file `fileName` names under the root; `""` names the root itself. Blocking (lstat,
    /// realpath).
    func resolve(_ fileName: String) throws(DriverError) -> Target {
        if fileName.hasPrefix("/") {
            throw DriverError(.invalidArgument, "fileName '\(fileName)' is absolute: give a path relative to rootPath")
        }
        if fileName.utf8.contains(0) { throw DriverError(.invalidArgument, "fileName contains a NUL byte") }
        let components = fileName.split(separator: "/").filter { $0 != "." }
        if components.contains("..") {
            throw DriverError(.invalidArgument, "fileName '\(fileName)' contains '..': it must stay inside rootPath")
        }
        let relative = components.joined(separator: "/")
        let absolute = relative.isEmpty ? path : path + "/" + relative
        let real = try realPath(of: components, fileName: fileName)
        guard real == path || real.hasPrefix(path == "/" ? "/" : path + "/") else {
            throw DriverError(
                .invalidArgument,
                "fileName '\(fileName)' resolves to '\(real)' through a symlink, outside rootPath '\(path)'")
        }
        return Target(relative: relative, absolute: absolute, real: real)
    }

    /// The deepest existing prefix of the path with its symlinks resolved, plus the rest.
    private func realPath(of components: [Substring], fileName: String) throws(DriverError) -> String {
        for count in stride(from: components.count, through: 0, by: -1) {
            let prefix = ([Substring(path)] + components.prefix(count)).joined(separator: "/")
            let kind: FileSystem.Kind?
            do { kind = try FileSystem.kind(prefix) } catch {
                throw DriverError(.internalError, "cannot resolve fileName '\(fileName)': \(error)")
            }
            guard let kind else { continue }
            let resolved: String
            do { resolved = try FileSystem.realPath(prefix) } catch {
                if kind == .symlink {
                    throw DriverError(
                        .invalidArgument,
                        "fileName '\(fileName)' goes through a symlink whose target does not exist")
                }
                throw DriverError(.internalError, "cannot resolve fileName '\(fileName)': \(error)")
            }
            let rest = components.dropFirst(count)
            return rest.isEmpty ? resolved : ([Substring(resolved)] + rest).joined(separator: "/")
        }
        return path
    }
}
