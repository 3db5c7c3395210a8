import CCurl
import CurlTransport
import DriverKit

/// Why a submission failed, in the words Dapr's binding uses, and what a caller may do about it.
struct SMTPFailure: Error, Sendable, CustomStringConvertible {
    var kind: CurlError.Kind
    var message: String

    init(_ kind: CurlError.Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// From curl's result: the server's own refusal when it sent one (as Go's smtp client
    /// reports it), else curl's reason, framed as Go's dialer frames a connection failure.
    init(code: CURLcode, reason: String, refusal: String?, address: String) {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST:
            self.init(.unreachable, "dial tcp \(address): \(reason)")
        case CURLE_OPERATION_TIMEDOUT:
            self.init(.timeout, "\(address): \(reason)")
        case CURLE_LOGIN_DENIED:
            // Go's Dial reports AUTH's refusal as it is, with no "could not send" around it.
            self.init(.failed, refusal ?? reason)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_USE_SSL_FAILED, CURLE_SSL_CACERT_BADFILE:
            self.init(.failed, "\(address): \(reason)")
        default:
            // After the dial: gomail's Send wraps the server's refusal of MAIL, RCPT or DATA.
            self.init(.failed, refusal.map { MailMessage.sendPrefix + $0 } ?? "\(address): \(reason)")
        }
    }

    var description: String { message }

    /// The error the host returns: Dapr's text; a server that cannot be reached or answered too
    /// late may be tried again.
    var driverError: DriverError {
        let text = MailMessage.failurePrefix + message
        switch kind {
        case .unreachable: return DriverError(.unavailable, text, retryable: true)
        case .timeout: return DriverError(.timeout, text, retryable: true)
        case .failed: return DriverError(.unavailable, text)
        case .cancelled: return DriverError(.cancelled, "bindings.smtp: request cancelled: the component is stopping")
        case .notStarted: return DriverError(.unavailable, "bindings.smtp: invoke before start")
        case .internalError: return DriverError(.internalError, "bindings.smtp: \(message)")
        }
    }
}
