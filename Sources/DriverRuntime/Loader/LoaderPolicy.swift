import BinderySystem
import PluginABI

/// What the host accepts from a driver.
package struct LoaderPolicy: Sendable {
    package init() {}

    /// The oldest ABI minor version accepted.
    var minimumMinor: UInt16 = 0
    /// The newest ABI minor version this host speaks.
    var maximumMinor = UInt16(BD_ABI_MINOR)
    /// Accept `/shared` Swift drivers built by another toolchain (unsafe: Swift has no stable
    /// ABI on Linux). Set by `BINDERY_ALLOW_TOOLCHAIN_MISMATCH=1`.
    var allowToolchainMismatch = false
    /// Where private copies are written before `dlopen`.
    var imageDirectory = LoaderPolicy.defaultImageDirectory()

    /// The Swift toolchain of this host; `/shared` Swift drivers must match it.
    package static var hostSwift: String {
        #if compiler(>=6.5)
            return "6.5+"
        #elseif compiler(>=6.4)
            return "6.4"
        #elseif compiler(>=6.3.3)
            return "6.3.3"
        #elseif compiler(>=6.3.2)
            return "6.3.2"
        #elseif compiler(>=6.3.1)
            return "6.3.1"
        #elseif compiler(>=6.3)
            return "6.3.0"
        #else
            return "6.2-or-older"
        #endif
    }

    package var hostRange: String { "\(BD_ABI_MAJOR).\(minimumMinor)–\(BD_ABI_MAJOR).\(maximumMinor)" }

    static func fromEnvironment() -> LoaderPolicy {
        var policy = LoaderPolicy()
        policy.allowToolchainMismatch = Environment.value("BINDERY_ALLOW_TOOLCHAIN_MISMATCH") == "1"
        return policy
    }

    private static func defaultImageDirectory() -> String {
        if let dir = Environment.value("BINDERY_IMAGE_DIR") { return dir }
        let base = Environment.value("XDG_RUNTIME_DIR") ?? Environment.value("TMPDIR") ?? "/tmp"
        return "\(base)/bindery-\(Environment.userID)-images"
    }
}
