import DaprMetadata
import DriverKit

/// Metadata keys, spelled as in metadata.yaml. Component keys match case-insensitively (as in
/// Dapr); request keys match exactly, as Dapr reads `req.Metadata["emailTo"]`.
enum SMTPKey: String, MetadataKey {
    case host, port, user, password, skipTLSVerify
    case emailFrom, emailTo, emailCC, emailBCC, subject, priority
}

/// The component configuration of one `bindings.smtp` instance, checked at create (no I/O).
struct SMTPSettings: Sendable {
    var host: String
    var port: Int
    /// Set together with `password` or not at all (Dapr refuses one without the other).
    var user: String?
    var password: String?
    var skipTLSVerify: Bool
    /// The message fields each request may override; nil when the component leaves them out.
    var defaults: MailFields

    /// gomail dials an implicit-TLS connection on port 465 and plain (then STARTTLS) on others;
    /// tests, whose servers cannot all have port 465, name their own.
    var implicitTLSPort = 465

    init(_ configuration: DriverConfiguration, implicitTLSPort: Int = 465) throws {
        self.implicitTLSPort = implicitTLSPort
        let metadata = ComponentMetadata(configuration, fields: SMTPDriver.fields)
        host = try metadata.required(SMTPKey.host)
        guard SMTPSettings.isHostName(host) else {
            throw metadata.invalid(
                SMTPKey.host, host, expected: "a host name or IP address without a port, scheme or spaces")
        }
        port = try metadata.int(SMTPKey.port, range: 1...65535) ?? 587
        user = metadata.string(SMTPKey.user)
        password = metadata.string(SMTPKey.password)
        guard (user == nil) == (password == nil) else {
            throw DriverError(
                .invalidArgument,
                "\(configuration.componentName): smtp binding error: both user and password fields are required in metadata"
            )
        }
        skipTLSVerify = try metadata.bool(SMTPKey.skipTLSVerify) ?? false
        let priority = try metadata.int(SMTPKey.priority, range: MailFields.priorities) ?? MailFields.defaultPriority
        defaults = MailFields(
            from: metadata.string(SMTPKey.emailFrom), to: metadata.string(SMTPKey.emailTo),
            cc: metadata.string(SMTPKey.emailCC), bcc: metadata.string(SMTPKey.emailBCC),
            subject: metadata.string(SMTPKey.subject), priority: priority)
    }

    /// True when the connection starts with TLS (smtps), as gomail's `SSL: port == 465`.
    var implicitTLS: Bool { port == implicitTLSPort }

    /// True when STARTTLS must succeed: a user is set and the server is not this machine, as Go's
    /// smtp.PlainAuth refuses to send a password without TLS except to localhost, 127.0.0.1 or ::1.
    var requiresTLS: Bool { user != nil && !implicitTLS && !["localhost", "127.0.0.1", "::1"].contains(host) }

    /// `host:port` (`[v6]:port`), as Go's dialer names it.
    var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// A name or address curl can put in a URL: no scheme, path, port, userinfo or spaces.
    static func isHostName(_ text: String) -> Bool {
        let forbidden = Set("/@?#[] \\%\"<>`^{|}".utf8)
        let colons = text.utf8.filter { $0 == UInt8(ascii: ":") }.count
        // Colons only in an IPv6 address (two or more of them), never as a port separator.
        return !text.utf8.contains { $0 <= 0x20 || $0 >= 0x7F || forbidden.contains($0) } && colons != 1
    }
}
