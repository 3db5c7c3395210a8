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
        entries.append((Self.isLowerCaseASCII(name) ? name : name.lowercased(), value))
    }

    /// Whether `lowercased()` would return `name` unchanged: ASCII without `A`–`Z`. HTTP/2 names
    /// always are (nghttp2 refuses others), and lowercased() allocates a copy past 15 bytes.
    static func isLowerCaseASCII(_ name: String) -> Bool {
        func isLower(_ byte: UInt8) -> Bool { byte < 0x80 && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
        // Scanned as a buffer: iterating the UTF8View costs several times more per byte.
        return name.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isLower) } ?? name.utf8.allSatisfy(isLower)
    }

    /// The first value of `name` (lower case).
    package subscript(_ name: String) -> String? {
        entries.first(where: { $0.name == name })?.value
    }

    package var isEmpty: Bool { entries.isEmpty }

    /// Room for `count` fields: one allocation when the count is known.
    package mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }

    package func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        entries.makeIterator()
    }

    /// Names the transport consumes itself, never surfaced as a call's metadata: grpc-go's set
    /// (`isReservedHeader`), less `:authority` and `user-agent`, which grpc-go hands to the
    /// handler and daprd forwards to bindings (as `dapr-authority` and `user-agent`).
    package static func isReserved(_ name: String) -> Bool {
        // Every reserved name starts with `:`, `c`, `g` or `t`, and no other character is
        // canonically equivalent to those: other names need no String comparison.
        switch name.utf8.first {
        case UInt8(ascii: ":"), UInt8(ascii: "c"), UInt8(ascii: "g"), UInt8(ascii: "t"), nil: break
        default: return false
        }
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
