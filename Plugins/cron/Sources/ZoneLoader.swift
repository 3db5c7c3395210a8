import Glibc

/// Finds zones the way Go's `time.LoadLocation` and its `Local` do, reading TZif files itself.
enum ZoneLoader {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Directories searched for IANA names: `$ZONEINFO` first (when it is a directory), then tzdata.
    static var directories: [String] {
        var result: [String] = []
        if let custom = environment("ZONEINFO"), !custom.isEmpty { result.append(custom) }
        result += ["/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo"]
        return result
    }

    /// The zone named `name` (`UTC`, `Local` or an IANA name such as `Europe/Paris`).
    static func load(_ name: String) throws(LoadError) -> Zone {
        if name.isEmpty || name == "UTC" { return .utc }
        if name == "Local" { return local() }
        // Go refuses names that could leave the zoneinfo directory.
        if name.hasPrefix("/") || name.contains("..") || name.utf8.contains(0) || name.contains("\\") {
            throw LoadError(description: "time: invalid location name")
        }
        for directory in directories {
            if let bytes = readFile(directory + "/" + name), let zone = try? TZif.zone(named: name, from: bytes) {
                return zone
            }
        }
        throw LoadError(description: "unknown time zone \(name)")
    }

    /// The process local zone, named `Local`: `$TZ` (unset → /etc/localtime, empty → UTC);
    /// UTC when nothing can be read, as Go does.
    static func local() -> Zone {
        var zone = loadLocal() ?? .utc
        zone.name = "Local"
        return zone
    }

    private static func loadLocal() -> Zone? {
        guard var tz = environment("TZ") else {
            return readFile("/etc/localtime").flatMap { try? TZif.zone(named: "Local", from: $0) }
        }
        if tz.hasPrefix(":") { tz.removeFirst() }
        if tz.isEmpty || tz == "UTC" { return nil }
        if tz.hasPrefix("/") { return readFile(tz).flatMap { try? TZif.zone(named: "Local", from: $0) } }
        return try? load(tz)
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The bytes of a regular file of at most 1 MiB, or nil.
    static func readFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= 1 << 20 else {
            return nil
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        return Array(bytes[0..<filled])
    }
}
