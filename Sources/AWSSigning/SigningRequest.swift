/// What SigV4 signs of an HTTP request: method, path, query, headers and the payload's hash.
public struct SigningRequest: Sendable, Equatable {
    /// One query parameter, decoded; a nil value is a parameter written without `=` (`?acl`),
    /// which the canonical query string writes as `acl=`.
    public struct QueryItem: Sendable, Equatable {
        public var name: String
        public var value: String?
        public init(_ name: String, _ value: String?) {
            self.name = name
            self.value = value
        }
    }

    /// The hashed-payload value that tells S3 the body is not signed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    public var method: String
    /// The path as it goes on the request line, percent-encoded (or not: see `CanonicalPath`).
    public var path: String
    public var query: [QueryItem]
    /// Header names and values as sent; `Host` must be among them (SigV4 requires it signed).
    public var headers: [(name: String, value: String)]
    /// Lowercase hex SHA-256 of the body, or `unsignedPayload`.
    public var payloadHash: String

    public init(
        method: String, path: String, query: [QueryItem] = [], headers: [(name: String, value: String)],
        payloadHash: String
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }

    /// Same as above, with the payload hashed here.
    public init(
        method: String, path: String, query: [QueryItem] = [], headers: [(name: String, value: String)],
        payload: [UInt8]
    ) {
        self.init(
            method: method, path: path, query: query, headers: headers, payloadHash: Self.hash(payload))
    }

    /// The lowercase hex SHA-256 of `payload`, as x-amz-content-sha256 and the canonical request write it.
    public static func hash(_ payload: [UInt8]) -> String { Hex.lowercase(HMAC.sha256(payload)) }

    /// Splits a request target (`/path?a=1&b`) into the path and decoded query items.
    public static func split(target: String) -> (path: String, query: [QueryItem]) {
        guard let mark = target.firstIndex(of: "?") else { return (target, []) }
        let items = target[target.index(after: mark)...].split(separator: "&").map { pair -> QueryItem in
            guard let equals = pair.firstIndex(of: "=") else {
                return QueryItem(URIEncoding.decode(String(pair)), nil)
            }
            return QueryItem(
                URIEncoding.decode(String(pair[..<equals])),
                URIEncoding.decode(String(pair[pair.index(after: equals)...])))
        }
        return (String(target[..<mark]), items)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query == rhs.query
            && lhs.payloadHash == rhs.payloadHash
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}
