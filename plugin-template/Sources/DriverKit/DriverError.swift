import PluginABI

/// An error a driver reports to the host; `message` reaches operators and Dapr clients verbatim.
public struct DriverError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable {
        case invalidArgument, unsupported, unavailable, timeout, cancelled, notFound, internalError

        var status: bd_status {
            switch self {
            case .invalidArgument: BD_E_INVALID_ARG
            case .unsupported: BD_E_UNSUPPORTED
            case .unavailable: BD_E_UNAVAILABLE
            case .timeout: BD_E_TIMEOUT
            case .cancelled: BD_E_CANCELLED
            case .notFound: BD_E_NOT_FOUND
            case .internalError: BD_E_INTERNAL
            }
        }
    }

    public var code: Code
    public var message: String
    public var isRetryable: Bool
    /// Returned to the caller as `metadata.<key>` headers with the error.
    public var metadata: [String: String]

    public init(
        _ code: Code, _ message: String, retryable: Bool = false, metadata: [String: String] = [:]
    ) {
        self.code = code
        self.message = message
        self.isRetryable = retryable
        self.metadata = metadata
    }

    public var description: String { message }

    /// Any error as a DriverError: DriverErrors pass through, others become internal errors.
    static func from(_ error: any Error) -> DriverError {
        (error as? DriverError) ?? DriverError(.internalError, String(describing: error))
    }
}
