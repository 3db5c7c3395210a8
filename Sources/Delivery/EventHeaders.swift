import BinderyCore
import BinderyHTTP

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
            guard HTTPHeaders.isValidName(key) else {
                warn("event metadata key \"\(key)\" is not a valid HTTP header name; not sent")
                continue
            }
            guard HTTPHeaders.isValidValue(value) else {
                warn("event metadata \"\(key)\" has a control character in its value; not sent")
                continue
            }
            result.append((lower.hasPrefix("grpc-") ? "dapr-\(key)" : key, value))
        }
        return result
    }
}
