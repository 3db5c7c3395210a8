import CurlTransport
import DaprMetadata
import DriverKit

/// The HTTP request one invoke sends, built exactly as Dapr's `bindings.http` builds it.
///
/// Pure: no curl, no I/O, so every rule is testable on its own.
struct OutgoingRequest: Sendable {
    /// Operation → method; `create` is Dapr's backward-compatible alias of `post`.
    static let methods: [String: String] = [
        "create": "POST", "get": "GET", "head": "HEAD", "post": "POST", "put": "PUT", "patch": "PATCH",
        "delete": "DELETE", "options": "OPTIONS", "trace": "TRACE",
    ]
    static let jsonType = "application/json; charset=utf-8"
    /// Request headers Go's client sets itself and ignores in `Request.Header` (net/http
    /// `reqWriteExcludeHeader`); curl would send them verbatim and contradict the real body.
    private static let ignoredHeaders: Set<String> = ["host", "content-length", "transfer-encoding", "trailer"]

    var method: String
    var url: String
    /// Final headers in send order; names unique case-insensitively.
    var headers: [(name: String, value: String)]
    /// nil: no body (all methods but POST, PUT, PATCH).
    var body: [UInt8]?
    var errorIfNot2XX: Bool
    /// Ask for gzip and decode it transparently, as Go's Transport does when the request names
    /// no Accept-Encoding or Range and is not HEAD.
    var decodesGzip: Bool

    init(_ request: InvokeRequest, settings: HTTPSettings) throws {
        guard let method = OutgoingRequest.methods[request.operation] else {
            throw DriverError(.unsupported, "invalid operation: \(request.operation)")
        }
        self.method = method
        let metadata = request.metadata

        url = settings.url
        if let path = metadata[HTTPKey.path.rawValue], !path.isEmpty {
            url = OutgoingRequest.join(settings.url, path)
        }
        // Go's http.NewRequest refuses the URL the same way; curl would cut it at a NUL.
        guard !URLText.hasControlCharacter(url) else {
            throw DriverError(.invalidArgument, URLText.controlCharacterError(url))
        }
        errorIfNot2XX = settings.errorIfNot2XX
        if let text = metadata[HTTPKey.errorIfNot2XX.rawValue], !text.isEmpty {
            errorIfNot2XX = MetadataText.isTruthy(text)
        }
        body = ["POST", "PUT", "PATCH"].contains(method) ? request.data : nil

        headers = []
        decodesGzip = false
        if body != nil, metadata["Content-Type"] == nil { set("Content-Type", OutgoingRequest.jsonType) }
        if metadata["Accept"] == nil { set("Accept", OutgoingRequest.jsonType) }
        if let token = settings.securityToken { set(token.header, token.value) }
        // Every key whose first character is A–Z is a header (sorted: Go's map order is random,
        // ours is at least repeatable when two keys differ only in case).
        for key in metadata.keys.sorted() {
            guard let first = key.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else { continue }
            guard !OutgoingRequest.ignoredHeaders.contains(key.lowercased()) else { continue }
            try set(checkedName: key, metadata[key] ?? "")
        }
        for key in ["traceparent", "tracestate", "baggage"] {
            if let value = metadata[key], !value.isEmpty { try set(checkedName: key, value) }
        }
        let named = Set(headers.map { $0.name.lowercased() })
        decodesGzip = method != "HEAD" && !named.contains("accept-encoding") && !named.contains("range")
    }

    /// `base` and `path` with exactly one `/` between them (Dapr: TrimRight + "/" + TrimLeft).
    static func join(_ base: String, _ path: String) -> String {
        let head = base.utf8.last == UInt8(ascii: "/") ? String(base.reversed().drop { $0 == "/" }.reversed()) : base
        return head + "/" + path.drop { $0 == "/" }
    }

    /// True for an RFC 9110 token (a valid header name).
    static func isToken(_ text: String) -> Bool { ResponseHead.isToken(text) }

    /// Go's `Header.Set`: replaces a header of the same name in any case.
    private mutating func set(_ name: String, _ value: String) {
        let lower = name.lowercased()
        if let index = headers.firstIndex(where: { $0.name.lowercased() == lower }) {
            headers[index] = (name, value)
        } else {
            headers.append((name, value))
        }
    }

    /// `set`, refusing what would let metadata inject extra lines into the request (Go's client
    /// refuses the same with "invalid header field name/value").
    private mutating func set(checkedName name: String, _ value: String) throws {
        guard OutgoingRequest.isToken(name) else {
            throw DriverError(.invalidArgument, "net/http: invalid header field name \"\(name)\"")
        }
        guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
            throw DriverError(.invalidArgument, "net/http: invalid header field value for \"\(name)\"")
        }
        set(name, value)
    }
}
