/// How a `GRPCClient` behaves; the defaults suit a local app channel.
package struct GRPCClientConfiguration: Sendable {
    /// The largest response message accepted; a bigger one ends the call RESOURCE_EXHAUSTED
    /// (grpc-go's default receive limit, 4 MiB).
    package var maxMessageBytes = 4 << 20
    /// How long one connection attempt may take (grpc-go's minimum connect timeout, 20 s).
    package var connectTimeout: Duration = .seconds(20)
    /// Sent as `user-agent`.
    package var userAgent = "bindery/0.1"
    /// How often one call is sent again on a new connection after the server refused it
    /// unprocessed (GOAWAY past its stream, REFUSED_STREAM, a connection lost before its
    /// HEADERS went out); past that it fails UNAVAILABLE.
    package var maxTransparentRetries = 3
    /// The flow-control window the client grants per stream and per connection.
    package var windowBytes: Int32 = 4 << 20

    package init(maxMessageBytes: Int = 4 << 20, connectTimeout: Duration = .seconds(20)) {
        self.maxMessageBytes = maxMessageBytes
        self.connectTimeout = connectTimeout
    }
}

/// How one call ended: its status, the response message (when the status is OK), the response
/// headers (initial metadata) and trailers (trailing metadata; a Trailers-Only response's
/// metadata is here).
package struct GRPCClientResult: Sendable {
    package var status: GRPCStatus
    package var message: [UInt8]?
    package var headers: GRPCMetadata
    package var trailers: GRPCMetadata

    package init(
        status: GRPCStatus, message: [UInt8]? = nil, headers: GRPCMetadata = GRPCMetadata(),
        trailers: GRPCMetadata = GRPCMetadata()
    ) {
        (self.status, self.message, self.headers, self.trailers) = (status, message, headers, trailers)
    }

    static func failure(_ code: GRPCStatus.Code, _ message: String) -> GRPCClientResult {
        GRPCClientResult(status: GRPCStatus(code, message))
    }
}
