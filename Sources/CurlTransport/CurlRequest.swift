/// One HTTP exchange to perform: what to send, and how much of the answer to keep.
public struct CurlRequest: Sendable {
    public var method: String
    /// An absolute http:// or https:// URL.
    public var url: String
    /// Sent in order; an empty value sends the header empty. curl's own `Expect: 100-continue`
    /// is suppressed unless one is given here.
    public var headers: [(name: String, value: String)]
    /// nil: no body.
    public var body: [UInt8]?
    /// Ask for gzip and decode it transparently (as Go's Transport does).
    public var decodesGzip: Bool
    /// Most body bytes kept; a longer body is cut there and the exchange still succeeds
    /// (like Go's `io.LimitReader`). nil: no limit.
    public var limit: Int64?
    /// Longest time for the whole exchange; nil: none.
    public var timeoutMilliseconds: Int64?
    public var tls: TLSMaterial

    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        decodesGzip: Bool = false, limit: Int64? = nil, timeoutMilliseconds: Int64? = nil,
        tls: TLSMaterial = TLSMaterial()
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.decodesGzip = decodesGzip
        self.limit = limit
        self.timeoutMilliseconds = timeoutMilliseconds
        self.tls = tls
    }
}
