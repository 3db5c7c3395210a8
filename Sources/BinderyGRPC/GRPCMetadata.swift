/// gRPC metadata: HTTP/2 header fields other than those the transport consumes (`isReserved`),
/// names in lower case, in arrival order. `-bin` values are the raw bytes (base64 on the
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

    /// Names the transport consumes itself, never surfaced as a call's metadata: grpc-go's set
    /// (`isReservedHeader`), less `:authority` and `user-agent`, which grpc-go hands to the
    /// handler and daprd forwards to bindings (as `dapr-authority` and `user-agent`).
    package static func isReserved(_ name: String) -> Bool {
        if name.hasPrefix(":") { return name != ":authority" }
        switch name {
        case "content-type", "grpc-message-type", "grpc-encoding", "grpc-message", "grpc-status", "grpc-timeout",
            "grpc-status-details-bin", "te", "content-length":
            return true
        default:
            return false
        }
    }
}
