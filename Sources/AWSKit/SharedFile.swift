import DriverKit

#if canImport(Glibc)
    import Glibc
#endif

/// One of AWS's shared files (`~/.aws/credentials`, `~/.aws/config`): INI sections of
/// `key = value` lines, as the SDKs read them (comments start with `#` or `;`).
struct SharedFile {
    let path: String
    /// Section name (as written between the brackets, trimmed) → keys (lowercased) → values.
    private(set) var sections: [String: [String: String]] = [:]

    /// Reads `path`; nil when there is no such file. Throws when it exists but cannot be read.
    static func read(_ path: String) throws(AWSConfigurationError) -> SharedFile? {
        guard let text = try readText(path) else { return nil }
        return SharedFile(path: path, text: text)
    }

    init(path: String, text: String) {
        self.path = path
        var section: String?
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(MetadataText.trimmed(raw))
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = String(MetadataText.trimmed(line.dropFirst().dropLast()))
                section = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let name = section, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(MetadataText.trimmed(line[..<equals])).lowercased()
            sections[name]?[key] = String(MetadataText.trimmed(line[line.index(after: equals)...]))
        }
    }

    /// The keys of profile `profile`: `[name]` in the credentials file; `[profile name]` (or
    /// `[default]`) in the config file.
    func profile(_ profile: String, config: Bool) -> [String: String]? {
        if config, profile != "default" { return sections["profile \(profile)"] }
        return sections[profile]
    }

    private static func readText(_ path: String) throws(AWSConfigurationError) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw AWSConfigurationError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw AWSConfigurationError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why the AWS configuration cannot be used; the driver adds the component's name.
public struct AWSConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
