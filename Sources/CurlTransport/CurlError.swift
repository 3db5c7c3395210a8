/// Why an exchange produced no response. `message` reads like Go's `*url.Error`
/// (`Get "http://…": reason`) for transport failures.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The exchange took longer than its timeout.
        case timeout
        /// Nothing reached the server (connect or name resolution failed): safe to try again.
        case unreachable
        /// The exchange failed after it may have reached the server.
        case failed
        /// The client was stopped before the exchange finished.
        case cancelled
        /// The client was not started.
        case notStarted
        /// curl or the system refused a handle, an option or a thread.
        case internalError
    }

    public var kind: Kind
    public var message: String
    /// True when TLS failed (an untrusted or invalid certificate, a failed handshake): trying
    /// again gets the same answer, so callers that retry should not.
    public var isTLSFailure = false

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
