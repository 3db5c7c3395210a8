/// gRPC custom metadata: HTTP/2 header fields other than pseudo-headers and gRPC's reserved
/// ones, names in lower case, in arrival order. `-bin` values are the raw bytes (base64 on the
/// wire is the transport's business).
package struct GRPCMetadata: Sendable, Sequence {
    package private(set) var entries: [(name: String, value: String)] = []

    package init() {}

    package init(_ entries: [(String, String)]) {
        for (name, value) in entries { add(name, value) }
    }

    /// Adds a field; the name is lower-cased as HTTP/2 requires.
    package mutating func add(_ name: String, _ value: String) {
        entries.append((name.lowercased(), value))
    }

    /// The first value of `name` (lower case).
    package subscript(_ name: String) -> String? {
        entries.first(where: { $0.name == name })?.value
    }

    package var isEmpty: Bool { entries.isEmpty }

    package func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        entries.makeIterator()
    }

    /// Names gRPC reserves for itself, never surfaced as custom metadata.
    package static func isReserved(_ name: String) -> Bool {
        name.hasPrefix(":") || name.hasPrefix("grpc-") || name == "content-type" || name == "te"
            || name == "user-agent" || name == "content-length"
    }
}
