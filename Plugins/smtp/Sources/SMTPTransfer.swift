import CCurl
import CurlTransport

/// One submission on its own curl easy handle, as gomail's `DialAndSend` makes it: connect
/// (implicit TLS on 465), `EHLO localhost`, STARTTLS when the server offers it, AUTH when a user
/// is set, `MAIL FROM`, one `RCPT TO` per recipient, `DATA`, `QUIT`.
///
/// `@unchecked Sendable`: built on the caller's thread, then handed to the `CurlClient`'s worker,
/// which alone touches it (curl calls the callbacks on that thread) until `finish` or `fail`
/// completes it, exactly once. Never used by two threads at a time.
final class SMTPTransfer: CurlEasyTransfer, @unchecked Sendable {
    typealias Completion = @Sendable (Result<Void, SMTPFailure>) -> Void

    /// gomail's dial timeout.
    static let connectTimeoutMilliseconds = 10_000
    /// The SASL mechanisms gomail uses (libcurl's login options, one `AUTH=` each).
    static let mechanisms = "AUTH=CRAM-MD5;AUTH=PLAIN;AUTH=LOGIN"

    let easyHandle: UnsafeMutableRawPointer
    private let settings: SMTPSettings
    private var completion: Completion?
    private let message: UnsafeMutableBufferPointer<UInt8>
    private var sent = 0
    private var recipientList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var replies = SMTPReplies()

    init(
        _ mail: MailMessage, settings: SMTPSettings, timeoutMilliseconds: Int?, completion: @escaping Completion
    ) throws(SMTPFailure) {
        guard let easy = curl_easy_init() else {
            throw SMTPFailure(.internalError, "curl_easy_init failed (out of memory?)")
        }
        easyHandle = easy
        self.settings = settings
        self.completion = completion
        message = .allocate(capacity: max(mail.bytes.count, 1))
        _ = message.initialize(from: mail.bytes)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        for recipient in mail.recipients { recipientList = curl_slist_append(recipientList, "<\(recipient)>") }
        try configure(mail, timeoutMilliseconds: timeoutMilliseconds)
    }

    deinit {
        curl_easy_cleanup(easyHandle)
        curl_slist_free_all(recipientList)
        message.deallocate()
        errorBuffer.deallocate()
    }

    func finish(_ code: CURLcode) {
        guard code != CURLE_OK else { return complete(.success(())) }
        let detail = String(cString: errorBuffer)
        let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        complete(
            .failure(SMTPFailure(code: code, reason: reason, refusal: replies.lastRefusal, address: settings.address)))
    }

    func fail(_ error: CurlError) {
        complete(.failure(SMTPFailure(error.kind, error.message)))
    }

    private func complete(_ result: Result<Void, SMTPFailure>) {
        let completion = self.completion
        self.completion = nil
        completion?(result)
    }

    /// curl's read callback: the next part of the message.
    fileprivate func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, message.count - sent)
        guard count > 0, let base = message.baseAddress else { return 0 }
        buffer.copyMemory(from: UnsafeRawBufferPointer(start: base + sent, count: count))
        sent += count
        return count
    }

    /// curl's header callback, which sees each line the server answers.
    fileprivate func receive(_ line: UnsafeRawBufferPointer) -> Int {
        replies.consume(String(decoding: line, as: UTF8.self))
        return line.count
    }
}

extension SMTPTransfer {
    private func configure(_ mail: MailMessage, timeoutMilliseconds: Int?) throws(SMTPFailure) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let scheme = settings.implicitTLS ? "smtps" : "smtp"
        // The path is the EHLO name: Go's smtp client says "localhost".
        let url = "\(scheme)://\(settings.address)/localhost"
        var checks: [(CURLcode, String)] = [
            (bd_curl_setopt_string(easyHandle, CURLOPT_URL, url), "url"),
            (bd_curl_setopt_string(easyHandle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"), "protocols"),
            (bd_curl_setopt_long(easyHandle, CURLOPT_NOSIGNAL, 1), "nosignal"),
            (
                bd_curl_setopt_long(easyHandle, CURLOPT_CONNECTTIMEOUT_MS, SMTPTransfer.connectTimeoutMilliseconds),
                "connect timeout"
            ),
            // Go's TLS client refuses anything older than TLS 1.2.
            (bd_curl_setopt_long(easyHandle, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2)), "TLS 1.2 minimum"),
            (bd_curl_setopt_pointer(easyHandle, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer"),
            (bd_curl_setopt_string(easyHandle, CURLOPT_MAIL_FROM, "<\(mail.sender)>"), "mail from"),
            (bd_curl_setopt_slist(easyHandle, CURLOPT_MAIL_RCPT, recipientList), "recipients"),
            (bd_curl_setopt_long(easyHandle, CURLOPT_UPLOAD, 1), "upload"),
            (bd_curl_setopt_offset(easyHandle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count)), "size"),
            (bd_curl_setopt_callback(easyHandle, CURLOPT_READFUNCTION, readCallback), "read function"),
            (bd_curl_setopt_pointer(easyHandle, CURLOPT_READDATA, context), "read data"),
            (bd_curl_setopt_callback(easyHandle, CURLOPT_HEADERFUNCTION, replyCallback), "header function"),
            (bd_curl_setopt_pointer(easyHandle, CURLOPT_HEADERDATA, context), "header data"),
            (bd_curl_setopt_long(easyHandle, CURLOPT_USE_SSL, Int(useSSL.rawValue)), "STARTTLS"),
            // One session per message, QUIT at its end, as gomail's DialAndSend: no connection
            // is left in curl's cache, where closing it at stop would wait on the server.
            (bd_curl_setopt_long(easyHandle, CURLOPT_FORBID_REUSE, 1), "forbid reuse"),
        ]
        if let user = settings.user, let password = settings.password {
            checks.append((bd_curl_setopt_string(easyHandle, CURLOPT_USERNAME, user), "user"))
            checks.append((bd_curl_setopt_string(easyHandle, CURLOPT_PASSWORD, password), "password"))
            // gomail's choice among what the server offers: CRAM-MD5, else PLAIN, else LOGIN;
            // curl, among these three, prefers in the same order (and would otherwise also try
            // DIGEST-MD5, NTLM or GSSAPI, which gomail never does).
            checks.append(
                (bd_curl_setopt_string(easyHandle, CURLOPT_LOGIN_OPTIONS, SMTPTransfer.mechanisms), "AUTH mechanisms"))
        }
        if settings.skipTLSVerify {
            checks.append((bd_curl_setopt_long(easyHandle, CURLOPT_SSL_VERIFYPEER, 0), "verify peer"))
            checks.append((bd_curl_setopt_long(easyHandle, CURLOPT_SSL_VERIFYHOST, 0), "verify host"))
        }
        if let timeoutMilliseconds {
            checks.append((bd_curl_setopt_long(easyHandle, CURLOPT_TIMEOUT_MS, max(1, timeoutMilliseconds)), "timeout"))
        }
        for (code, option) in checks where code != CURLE_OK {
            throw SMTPFailure(
                .internalError,
                "curl refused option \(option): \(String(cString: curl_easy_strerror(code))) (\(CurlRuntime.version))")
        }
    }

    /// STARTTLS when the server offers it (gomail's rule), required when a password would
    /// otherwise cross the network in clear (`SMTPSettings.requiresTLS`).
    private var useSSL: curl_usessl { settings.requiresTLS ? CURLUSESSL_ALL : CURLUSESSL_TRY }
}

private let readCallback: bd_curl_data_callback = { data, size, count, context in
    guard let context, let data else { return 0 }
    let transfer = Unmanaged<SMTPTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.read(into: UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

private let replyCallback: bd_curl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<SMTPTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count))
}
