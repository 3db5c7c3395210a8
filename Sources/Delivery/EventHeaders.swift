import BinderyCore

/// Event metadata as app request headers, with daprd's rules (dapr-bindings-spec.md 2.4):
/// keys ending in `-bin`, `content-type`, `content-length` and hop-by-hop names are skipped,
/// `grpc-*` keys get a `dapr-` prefix. Unlike daprd, a key that is not a legal header name (or a
/// value with a control character) is skipped with a warning instead of failing the delivery.
package enum EventHeaders {
    private static let skipped: Set<String> = [
        "content-type", "content-length", "connection", "keep-alive", "proxy-connection",
        "transfer-encoding", "upgrade", "te", "trailer", "host",
    ]

    package static func headers(for metadata: Pairs, warn: (String) -> Void) -> [(String, String)] {
        var result: [(String, String)] = []
        for (key, value) in metadata {
            let lower = key.lowercased()
            if lower.hasSuffix("-bin") || skipped.contains(lower) || lower == "traceparent" || lower == "tracestate" {
                continue
            }
            guard isToken(key) else {
                warn("event metadata key \"\(key)\" is not a valid HTTP header name; not sent")
                continue
            }
            // Bytes, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
            guard !value.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }) else {
                warn("event metadata \"\(key)\" has a control character in its value; not sent")
                continue
            }
            result.append((lower.hasPrefix("grpc-") ? "dapr-\(key)" : key, value))
        }
        return result
    }

    /// The bytes of an RFC 9110 token (a header name).
    private static let tokenBytes = Set(
        "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// RFC 9110 token characters.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(tokenBytes.contains)
    }
}
