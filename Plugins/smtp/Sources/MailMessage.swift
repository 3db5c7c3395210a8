import DriverKit
import Glibc

/// One message as Dapr's smtp binding composes it with gomail: the envelope (sender and every
/// To, Cc and Bcc address, each once) and the RFC 5322 text, headers first, then the body as
/// quoted-printable `text/html`. Bcc addresses are in the envelope only.
///
/// Pure apart from the clock, which the caller passes: every rule is testable on its own.
struct MailMessage: Sendable {
    var sender: String
    var recipients: [String]
    var bytes: [UInt8]

    /// Composes the message for `fields` (the component's values with the request's overrides)
    /// and the request `data`; throws Dapr's errors for a missing field or a bad address.
    init(fields: MailFields, data: [UInt8], date: MailDate) throws(DriverError) {
        guard let from = fields.from else { throw MailMessage.missing("emailFrom") }
        guard let to = fields.to else { throw MailMessage.missing("emailTo") }
        guard let subject = fields.subject else { throw MailMessage.missing("subject") }
        do {
            let sender = try MailAddress(parsing: from)
            let lists = try [to, fields.cc, fields.bcc].map { (list) throws(MailAddress.Invalid) in
                try (list.map(MailFields.split) ?? []).map { (text) throws(MailAddress.Invalid) in
                    try MailAddress(parsing: text)
                }
            }
            self.sender = sender.address
            var recipients: [String] = []
            for address in lists.joined().map(\.address) where !recipients.contains(address) {
                recipients.append(address)
            }
            self.recipients = recipients
            var writer = HeaderWriter()
            writer.raw("Mime-Version: 1.0\r\n")
            writer.header("Date", [Array(date.text.utf8)])
            writer.header("From", [sender.header])
            writer.header("To", lists[0].map(\.header))
            if !lists[1].isEmpty { writer.header("Cc", lists[1].map(\.header)) }
            writer.header("Subject", [EncodedWord.q(Array(subject.utf8))])
            writer.header("X-priority", [Array(String(fields.priority).utf8)])
            writer.header("Content-Type", [Array("text/html; charset=UTF-8".utf8)])
            writer.header("Content-Transfer-Encoding", [Array("quoted-printable".utf8)])
            writer.raw("\r\n")
            bytes = writer.output + QuotedPrintable.encoded(MailMessage.body(data))
        } catch {
            throw DriverError(.invalidArgument, MailMessage.failurePrefix + MailMessage.sendPrefix + error.description)
        }
    }

    /// How Dapr starts the error of a send that failed, whatever the cause.
    static let failurePrefix = "error from smtp binding, sending email failed: "
    /// What gomail adds to a failure after the connection was made and authenticated (a bad
    /// address, a refused sender or recipient, a refused message).
    static let sendPrefix = "gomail: could not send email 1: "

    /// The body Dapr sends: the data unquoted when it is a Go string literal (a JSON string
    /// from the HTTP API arrives with its quotes), else the data as it is (gRPC's raw bytes).
    static func body(_ data: [UInt8]) -> [UInt8] {
        GoUnquote.bytes(data) ?? data
    }

    private static func missing(_ field: String) -> DriverError {
        DriverError(
            .invalidArgument,
            "smtp binding error: \(field) property not supplied in configuration- or request-metadata")
    }
}

/// The Date header's text: Go's `time.RFC1123Z` in the local time zone, as gomail writes it.
struct MailDate: Sendable {
    var text: String

    /// `seconds` since the epoch, in the process's local time zone.
    init(seconds: Int = time(nil)) {
        var clock = time_t(seconds)
        var parts = tm()
        localtime_r(&clock, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let offset = parts.tm_gmtoff / 60
        let sign = offset < 0 ? "-" : "+"
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        text =
            "\(days[Int(parts.tm_wday)]), \(two(Int(parts.tm_mday))) \(months[Int(parts.tm_mon)]) "
            + "\(1900 + Int(parts.tm_year)) \(two(Int(parts.tm_hour))):\(two(Int(parts.tm_min))):\(two(Int(parts.tm_sec))) "
            + "\(sign)\(two(abs(offset) / 60))\(two(abs(offset) % 60))"
    }
}
