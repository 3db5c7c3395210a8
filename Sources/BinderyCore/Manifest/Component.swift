/// One Dapr component as written in a resources folder, with its metadata resolved (secrets,
/// `envRef`, templates) and the runtime keys (`direction`, `route`) read out.
package struct Component: Sendable, Equatable {
    /// One `spec.metadata` entry: its name, its final string value and where it was written.
    package struct MetadataItem: Sendable, Equatable {
        package var name: String
        package var value: String
        package var line: Int
        package var column: Int = 1
        /// Resolved through `secretKeyRef`: a secret, masked wherever the host shows text.
        package var fromSecretStore = false
    }

    package var name: String
    var namespace: String = ""
    /// `spec.type` as written (see `ComponentType.resolve` for matching drivers).
    package var type: String
    package var version: String = ""
    var ignoreErrors = false
    /// `spec.initTimeout`; 5 s when missing, invalid or not positive, as in Dapr.
    var initTimeout: Duration = .seconds(5)
    package var metadata: [MetadataItem] = []
    /// App IDs allowed to load the component; empty means every app.
    package var scopes: [String] = []
    /// `auth.secretStore`: the component that resolves this one's `secretKeyRef`s.
    var secretStore: String = ""
    package var file: String = ""
    /// The line where the document starts (its first key).
    package var line: Int = 0

    /// The lower-cased directions of the `direction` metadata; nil when there is none, in which
    /// case every direction the driver supports is used.
    package var directions: [String]? {
        guard let raw = value(of: Keys.direction) else { return nil }
        return raw.split(separator: ",").map { $0.trimmingBlanks().lowercased() }.filter { !$0.isEmpty }
    }

    /// The app route for input events from the `route` metadata (leading `/` added, cleaned);
    /// nil when there is none (Dapr then posts to `/<name>`).
    package var route: String? {
        guard let raw = value(of: Keys.route), !raw.isEmpty else { return nil }
        return URLPath.clean("/" + raw)
    }

    /// The value of the metadata named `key`, compared case-insensitively as Dapr does.
    package func value(of key: String) -> String? {
        let wanted = key.lowercased()
        return metadata.first { $0.name.lowercased() == wanted }?.value
    }

    /// Metadata keys the runtime itself reads (and also passes to the driver).
    package enum Keys {
        package static let direction = "direction"
        package static let route = "route"
        package static let runtime = [direction, route]
    }
}

extension StringProtocol {
    func trimmingBlanks() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

/// Go's `path.Clean` for URL paths: one slash between segments, `.` and `..` resolved.
package enum URLPath {
    static func clean(_ path: String) -> String {
        let rooted = path.hasPrefix("/")
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if let last = segments.last, last != ".." {
                    segments.removeLast()
                } else if !rooted {
                    segments.append(segment)
                }
                continue
            }
            segments.append(segment)
        }
        let joined = segments.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
