/// The server's replies as curl hands them over, line by line: enough to report the last one
/// that refused something in Go's words (`535 5.7.8 Authentication credentials invalid`).
struct SMTPReplies: Sendable {
    /// The last complete reply with a 4xx or 5xx code, as Go's `textproto.Error` prints it:
    /// the code, a space, and the text of each line joined with newlines.
    private(set) var lastRefusal: String?
    private var code = 0
    private var lines: [Substring] = []

    /// Consumes one reply line, CRLF included (`250-SIZE 33554432`, `535 5.7.8 …`).
    mutating func consume(_ line: String) {
        var text = Substring(line)
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text = text.dropLast() }
        let digits = text.prefix(3)
        guard digits.count == 3, let number = Int(digits) else { return }
        let separator = text.dropFirst(3).first
        if lines.isEmpty || number != code { lines = [] }
        code = number
        lines.append(text.dropFirst(4))
        // "250-…" continues the reply; "250 …" (or a bare code) ends it.
        guard separator != "-" else { return }
        if code >= 400 { lastRefusal = "\(code) " + lines.joined(separator: "\n") }
        lines = []
    }
}
