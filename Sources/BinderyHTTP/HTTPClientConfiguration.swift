/// Limits of the delivery client. A nil timeout means none.
package struct HTTPClientConfiguration: Sendable {
    var connectTimeout: Duration? = .seconds(5)
    /// The whole exchange: connect, send, and the last byte of the response.
    var requestTimeout: Duration?
    /// Idle keep-alive connections kept per host:port.
    var maxIdlePerHost = 8
    /// A pooled connection unused for this long is closed instead of reused.
    var idleTimeout: Duration = .seconds(30)
    var maxResponseHeaderBytes = 64 * 1024
    var maxResponseBodyBytes = 64 * 1024 * 1024

    package init() {}
}
