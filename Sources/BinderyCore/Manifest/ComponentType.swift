/// Matches a component's `spec.type` (and `spec.version`) to the type a driver serves, as
/// Dapr's registry does: the `bindings.` prefix case-sensitively, the rest case-insensitively,
/// known aliases, and versions "", "v0" and "v1" all meaning the initial version.
package enum ComponentType {
    package static let prefix = "bindings."

    /// Names Dapr registers under two types (cmd/daprd/components/bindings_*.go).
    static let aliases: [String: String] = [
        "bindings.postgres": "bindings.postgresql", "bindings.postgresql": "bindings.postgres",
        "bindings.mqtt": "bindings.mqtt3", "bindings.mqtt3": "bindings.mqtt",
    ]

    /// The entry of `available` that serves `written`, or nil. Entries may carry a version
    /// (`bindings.kafka/v2`); an entry without one is the initial version.
    package static func resolve(_ written: String, version: String = "", among available: [String]) -> String? {
        guard written.hasPrefix(prefix) else { return nil }
        let wanted = written.lowercased()
        let wantedVersion = normalized(version)
        let candidates = [wanted] + (aliases[wanted].map { [$0] } ?? [])
        for candidate in candidates {
            let match = available.first { entry in
                guard entry.hasPrefix(prefix) else { return false }
                let (name, entryVersion) = split(entry)
                return name.lowercased() == candidate && normalized(entryVersion) == wantedVersion
            }
            if let match { return match }
        }
        return nil
    }

    /// Whether `version` is the initial version ("", "v0" or "v1").
    static func isInitialVersion(_ version: String) -> Bool { normalized(version).isEmpty }

    private static func normalized(_ version: String) -> String {
        let lower = version.lowercased()
        return lower == "v0" || lower == "v1" ? "" : lower
    }

    private static func split(_ entry: String) -> (String, String) {
        guard let slash = entry.firstIndex(of: "/") else { return (entry, "") }
        return (String(entry[..<slash]), String(entry[entry.index(after: slash)...]))
    }
}
