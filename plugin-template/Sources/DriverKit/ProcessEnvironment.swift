#if canImport(Glibc)
    import Glibc
#endif

/// The process's environment variables, read when asked: for the settings Dapr's SDKs take from
/// the environment (credentials, emulator hosts). Drivers take a dictionary, so that tests can
/// give their own.
public enum ProcessEnvironment {
    /// Every variable, read now.
    public static func variables() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return variables
    }
}
