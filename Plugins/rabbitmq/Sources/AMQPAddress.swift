import CRabbitMQ
import Glibc

/// The broker address of the `host` metadata: `amqp://` or `amqps://`, optional
/// `user:password@`, a host, an optional port (default 5672, or 5671 for amqps) and an optional
/// `/vhost` (default `/`), percent-decoded as RabbitMQ's URI spec says. Parsed by librabbitmq's
/// own `amqp_parse_url`, so bindery reads a URL exactly as the client library that uses it.
struct AMQPAddress: Sendable, Equatable {
    var host: String
    var port: Int32
    var user: String
    var password: String
    var vhost: String
    var usesTLS: Bool
    /// The URL with the user information hidden, for messages and logs.
    var redacted: String

    /// Nil when `text` is not an amqp(s) URL librabbitmq accepts.
    init?(_ text: String) {
        var buffer = Array(text.utf8CString)
        var info = amqp_connection_info()
        let status = buffer.withUnsafeMutableBufferPointer { amqp_parse_url($0.baseAddress, &info) }
        guard status == 0, let host = info.host, host.pointee != 0 else { return nil }
        self.host = String(cString: host)
        port = info.port
        user = info.user.map { String(cString: $0) } ?? "guest"
        password = info.password.map { String(cString: $0) } ?? "guest"
        vhost = info.vhost.map { String(cString: $0) } ?? "/"
        usesTLS = info.ssl != 0
        redacted = AMQPAddress.redact(text)
    }

    /// `text` with whatever sits between "://" and the last "@" hidden (it may hold a password).
    static func redact(_ text: String) -> String {
        guard let start = text.firstRange(of: "://"), let at = text.lastIndex(of: "@"), at > start.upperBound else {
            return text
        }
        return String(text[..<start.upperBound]) + "***" + String(text[at...])
    }
}
