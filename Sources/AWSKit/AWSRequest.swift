import AWSSigning

/// One call to an AWS service, before signing.
public struct AWSRequest: Sendable {
    public var method: String
    /// The path as it goes on the request line, already URI-encoded (S3 keys are encoded once,
    /// `/` kept); starts with `/`.
    public var path: String
    public var query: [SigningRequest.QueryItem]
    /// Headers to send and sign (Host, X-Amz-Date and Authorization are added by the client).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Send `x-amz-content-sha256` (S3 wants it on every request).
    public var sendsContentHash: Bool
    /// The base URL to use instead of the configuration's (S3's virtual-hosted buckets).
    public var baseURL: String?
    /// Most time for each attempt; nil: no limit.
    public var timeoutMilliseconds: Int64?

    public init(
        method: String, path: String = "/", query: [SigningRequest.QueryItem] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = [], sendsContentHash: Bool = false,
        baseURL: String? = nil, timeoutMilliseconds: Int64? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.sendsContentHash = sendsContentHash
        self.baseURL = baseURL
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// An AWS service's 2xx answer.
public struct AWSResponse: Sendable {
    public var statusCode: Int
    /// Response headers, names as sent (look up case-insensitively with `header(_:)`).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(statusCode: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }

    /// The first header named `name`, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// Where a base URL points: `scheme://authority` and a path prefix (usually empty).
struct BaseURL: Sendable {
    var scheme: String
    /// host[:port], as the Host header and the signature carry it.
    var authority: String
    var pathPrefix: String

    init(_ url: String) {
        var rest = Substring(url)
        scheme = "https"
        if let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") {
            scheme = url[..<colon].lowercased()
            rest = url[url.index(colon, offsetBy: 3)...]
        }
        if let slash = rest.firstIndex(of: "/") {
            authority = String(rest[..<slash])
            pathPrefix = String(rest[slash...])
        } else {
            authority = String(rest)
            pathPrefix = ""
        }
        // The default port is left out of Host, as HTTP clients send it.
        if scheme == "https", authority.hasSuffix(":443") { authority.removeLast(4) }
        if scheme == "http", authority.hasSuffix(":80") { authority.removeLast(3) }
    }
}
