/// Why a delivery request failed: what was called, and what went wrong.
package struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    package enum Code: String, Sendable {
        /// Nothing listens on the port (ECONNREFUSED): the app is not up (yet).
        case refused
        /// The connect or the whole request took longer than configured.
        case timeout
        /// The connection was reset or closed before the response was complete.
        case reset
        /// The bytes that came back are not an HTTP/1.1 response.
        case malformedResponse
        /// The host name did not resolve.
        case unresolved
        /// Another socket error.
        case io
    }

    package let code: Code
    /// `METHOD host:port/path`.
    package let target: String
    package let reason: String

    package var description: String { "\(target): \(reason)" }
}
