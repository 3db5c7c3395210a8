import Foundation

extension ServerProcess {
    /// How a test SMTP server secures its connections.
    public enum SMTPMode: String, Sendable {
        /// No TLS, no AUTH.
        case plain
        /// STARTTLS offered and required before anything else, then AUTH required.
        case startTLS = "starttls"
        /// TLS from the first byte (smtps, as on port 465); AUTH offered, not required.
        case implicitTLS = "implicit"
    }

    /// The user the STARTTLS and implicit-TLS servers accept (with `password`).
    public static let smtpUser = "mailer"

    /// A started aiosmtpd (PyPI `aiosmtpd`, run by `python3` from PATH) on a free loopback port
    /// in `mode`, with a self-signed certificate for 127.0.0.1 made by `openssl req`. It appends
    /// each message it accepts to `envelopes.jsonl` in its directory (`smtpEnvelopes`); a
    /// recipient whose address starts with `refuse` is refused with 550, and a message over
    /// `sizeLimit` bytes (advertised as SIZE) with 552. It offers AUTH LOGIN and PLAIN, less
    /// `withoutAuth` (e.g. `["PLAIN"]`). It exits with the test process.
    public static func smtp(
        _ mode: SMTPMode = .plain, password: String = "open sesame", sizeLimit: Int = 33_554_432,
        withoutAuth: [String] = []
    ) async throws -> ServerProcess {
        try await started {
            try ServerProcess(name: "smtp-\(mode.rawValue)", program: "/usr/bin/env", password: password) {
                port, directory in
                try smtpServerScript.write(toFile: "\(directory)/smtp_server.py", atomically: true, encoding: .utf8)
                let openssl = try run(
                    "/usr/bin/env",
                    [
                        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", "\(directory)/server.key", "-out", "\(directory)/server.pem", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    ])
                guard openssl.status == 0 else { throw TestFailure("openssl req failed: \(openssl.stderr)") }
                return [
                    "python3", "\(directory)/smtp_server.py", String(port), mode.rawValue, directory, smtpUser,
                    password, String(sizeLimit), String(getpid()), withoutAuth.joined(separator: ","),
                ]
            }
        }
    }

    /// Every message the server accepted so far, oldest first.
    public func smtpEnvelopes() throws -> [SMTPEnvelope] {
        guard let data = FileManager.default.contents(atPath: "\(directory)/envelopes.jsonl") else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONDecoder().decode(SMTPEnvelope.self, from: Data($0))
        }
    }

    /// Waits until the server holds `count` messages (10 s at most) and returns them.
    public func smtpEnvelopes(count: Int, timeout: Duration = .seconds(10)) async throws -> [SMTPEnvelope] {
        try await eventually("\(count) message(s) at \(name)", timeout: timeout) {
            try smtpEnvelopes().count >= count
        }
        return try smtpEnvelopes()
    }
}

/// One message as the test SMTP server received it.
public struct SMTPEnvelope: Decodable, Sendable {
    /// The `MAIL FROM` address and its parameters (`BODY=8BITMIME`, `SIZE=…`).
    public var mailFrom: String
    public var mailOptions: [String]
    /// Every `RCPT TO` address, in order.
    public var rcptTos: [String]
    /// The message text after DATA (dot-stuffing undone), decoded as UTF-8.
    public var content: String
    /// Whether the session ran over TLS (STARTTLS or implicit).
    public var tls: Bool
    /// The name the client gave in EHLO or HELO.
    public var ehlo: String?
    /// The user that authenticated, and with which mechanism; nil without AUTH.
    public var login: String?
    public var mechanism: String?

    /// The header section, unfolded: each line `Name: value`.
    public var headerLines: [String] {
        let head = content.components(separatedBy: "\r\n\r\n").first ?? ""
        var lines: [String] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !lines.isEmpty {
                lines[lines.count - 1] += line
            } else {
                lines.append(line)
            }
        }
        return lines
    }

    /// The raw header section, folding kept.
    public var rawHeaders: String { content.components(separatedBy: "\r\n\r\n").first ?? "" }

    /// The values of header `name` (matched case-insensitively), unfolded.
    public func header(_ name: String) -> [String] {
        headerLines.compactMap { line in
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name.lowercased() else {
                return nil
            }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    /// The names of the headers, in order.
    public var headerNames: [String] {
        headerLines.compactMap { line in line.firstIndex(of: ":").map { String(line[..<$0]) } }
    }

    /// Everything after the blank line that ends the headers.
    public var body: String {
        guard let range = content.range(of: "\r\n\r\n") else { return "" }
        return String(content[range.upperBound...])
    }

    enum CodingKeys: String, CodingKey {
        case mailFrom = "mail_from"
        case mailOptions = "mail_options"
        case rcptTos = "rcpt_tos"
        case content, tls, ehlo, login, mechanism
    }
}

/// The server: aiosmtpd's Controller in `mode`; arguments port, mode, directory, user, password,
/// size limit, the pid to outlive no longer than (checked twice a second) and the AUTH
/// mechanisms not to offer (comma-separated).
let smtpServerScript = #"""
    import asyncio, json, os, ssl, sys, threading, time
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    port, mode, directory, user, password, size_limit, parent, excluded = sys.argv[1:9]
    lock = threading.Lock()

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("refuse"):
                return "550 5.1.1 <%s>: Recipient address rejected" % address
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            transport = server.transport
            record = {
                "mail_from": envelope.mail_from,
                "mail_options": envelope.mail_options,
                "rcpt_tos": envelope.rcpt_tos,
                "content": envelope.original_content.decode("utf-8", "replace"),
                "tls": session.ssl is not None or (transport is not None and transport.get_extra_info("ssl_object") is not None),
                "ehlo": session.host_name,
                "login": getattr(session, "x_login", None),
                "mechanism": getattr(session, "x_mechanism", None),
            }
            with lock, open(os.path.join(directory, "envelopes.jsonl"), "a") as out:
                out.write(json.dumps(record) + "\n")
            return "250 Message accepted for delivery"

    def authenticator(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if auth_data.login.decode() == user and auth_data.password.decode() == password:
            session.x_login = user
            session.x_mechanism = mechanism
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.path.join(directory, "server.pem"), os.path.join(directory, "server.key"))
    common = dict(hostname="127.0.0.1", port=int(port), data_size_limit=int(size_limit),
                  auth_exclude_mechanism=[name for name in excluded.split(",") if name])
    if mode == "plain":
        controller = Controller(Handler(), **common)
    elif mode == "starttls":
        controller = Controller(Handler(), tls_context=context, require_starttls=True, auth_required=True,
                                auth_require_tls=True, authenticator=authenticator, **common)
    else:
        controller = Controller(Handler(), ssl_context=context, authenticator=authenticator,
                                auth_require_tls=False, **common)
    controller.start()
    print("listening on", port, "mode", mode, flush=True)
    while os.getppid() == int(parent) or int(parent) == 0:
        time.sleep(0.5)
    os._exit(0)
    """#
