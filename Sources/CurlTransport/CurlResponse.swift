/// The final response of one exchange: status, headers and the body kept.
public struct CurlResponse: Sendable {
    public var statusCode: Int
    public var head: ResponseHead
    public var body: [UInt8]
    /// True when the body was cut at `CurlRequest.limit`.
    public var truncated: Bool
    /// True when curl decoded a gzip body (so Content-Encoding no longer describes `body`).
    public var decodedGzip: Bool
}
