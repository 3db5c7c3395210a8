import CCurl
import DaprMetadata

/// One HTTP exchange on its own curl easy handle: the options, the buffers curl reads and
/// writes, and the completion waiting for it.
///
/// `@unchecked Sendable`: the caller builds it on its own thread, then hands it to the client's
/// worker thread through the thread's queue; from then on only the worker touches it (curl
/// calls the callbacks on the thread that drives the multi handle), until `complete` calls the
/// completion exactly once. Never used by two threads at a time.
final class CurlTransfer: CurlEasyTransfer, @unchecked Sendable {
    typealias Completion = @Sendable (Result<CurlResponse, CurlError>) -> Void

    /// curl's User-Agent when the request sets none (Go sends "Go-http-client/1.1").
    static let userAgent = "bindery-http/1.0"
    /// Dapr's dial and TLS-handshake timeouts.
    static let connectTimeoutMilliseconds = 15_000

    let easy: UnsafeMutableRawPointer
    let request: CurlRequest
    private var completion: Completion?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let body: UnsafeMutableBufferPointer<UInt8>
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var head = ResponseHead()
    private var received: [UInt8] = []
    private var truncated = false

    /// Creates and configures the easy handle. Throws when curl refuses an option.
    init(_ request: CurlRequest, completion: @escaping Completion) throws(CurlError) {
        // curl reads the URL as a C string: a NUL would cut it short (issue 9: "x\0y" asked for /x).
        guard !URLText.hasControlCharacter(request.url) else {
            throw CurlError(.failed, URLText.controlCharacterError(request.url))
        }
        guard let easy = curl_easy_init() else {
            throw CurlError(.internalError, "curl_easy_init failed (out of memory?)")
        }
        self.easy = easy
        self.request = request
        self.completion = completion
        // POSTFIELDS is not copied by curl: the bytes live as long as the handle.
        let bodyBytes = request.body ?? []
        body = .allocate(capacity: max(bodyBytes.count, 1))
        _ = body.initialize(from: bodyBytes)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure()
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        body.deallocate()
        errorBuffer.deallocate()
    }

    /// Calls the completion with `result`; later calls do nothing.
    func complete(_ result: Result<CurlResponse, CurlError>) {
        let completion = self.completion
        self.completion = nil
        completion?(result)
    }

    var easyHandle: UnsafeMutableRawPointer { easy }

    func fail(_ error: CurlError) { complete(.failure(error)) }

    /// Completes from curl's result code for this handle (CURLMSG_DONE).
    func finish(_ code: CURLcode) {
        if let line = head.malformedLine {
            // Go's client fails the exchange the same way (net/textproto, net/http transport).
            let reason = "net/http: HTTP/1.x transport connection broken: malformed MIME header line: \(line)"
            complete(
                .failure(CurlError(.failed, "\(operation) \(GoText.quoted(URLText.redacted(request.url))): \(reason)")))
        } else if code == CURLE_OK || (code == CURLE_WRITE_ERROR && truncated) {
            complete(response())
        } else {
            complete(.failure(failure(code)))
        }
    }

    private func response() -> Result<CurlResponse, CurlError> {
        var code = 0
        _ = bd_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
        if code == 0 { code = head.statusCode }
        let decoded = request.decodesGzip && head.value("Content-Encoding") != nil
        return .success(
            CurlResponse(statusCode: code, head: head, body: received, truncated: truncated, decodedGzip: decoded))
    }

    /// Go's `*url.Error` text: `Get "http://…": reason`, the URL's password shown as `***`.
    private func failure(_ code: CURLcode) -> CurlError {
        let detail = String(cString: errorBuffer)
        let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let message = "\(operation) \(GoText.quoted(URLText.redacted(request.url))): \(reason)"
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return CurlError(.timeout, message)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return CurlError(.unreachable, message)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            var error = CurlError(.failed, message)
            error.isTLSFailure = true
            return error
        default:
            return CurlError(.failed, message)
        }
    }

    /// curl's write callback: keeps at most `limit` bytes; returning short makes curl stop
    /// reading (CURLE_WRITE_ERROR), which `finish` treats as success with a truncated body,
    /// like Go's `io.LimitReader`.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let limit = request.limit else {
            received.append(contentsOf: bytes)
            return bytes.count
        }
        let room = Int(clamping: max(0, limit - Int64(received.count)))
        let taken = min(room, bytes.count)
        received.append(contentsOf: bytes.prefix(taken))
        if taken < bytes.count { truncated = true }
        return taken
    }

    /// Go's name for the method in errors: "Get", "Post".
    private var operation: String { request.method.prefix(1) + request.method.dropFirst().lowercased() }

    /// curl's header callback; returning short aborts the exchange (CURLE_WRITE_ERROR) at the
    /// first malformed line, which `finish` reports.
    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        head.consume(Substring(String(decoding: bytes, as: UTF8.self)))
        return head.malformedLine == nil ? bytes.count : 0
    }
}

extension CurlTransfer {
    private func configure() throws(CurlError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        var checks: [(CURLcode, String)] = [
            (bd_curl_setopt_string(easy, CURLOPT_URL, request.url), "url"),
            (bd_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "nosignal"),
            (bd_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols"),
            (bd_curl_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "redirect protocols"),
            // Go's client follows up to 10 redirects.
            (bd_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1), "followlocation"),
            (bd_curl_setopt_long(easy, CURLOPT_MAXREDIRS, 10), "maxredirs"),
            (
                bd_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, CurlTransfer.connectTimeoutMilliseconds),
                "connect timeout"
            ),
            (bd_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1), "keepalive"),
            (bd_curl_setopt_long(easy, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2)), "TLS 1.2 minimum"),
            (bd_curl_setopt_string(easy, CURLOPT_USERAGENT, CurlTransfer.userAgent), "user agent"),
            (bd_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer"),
            (bd_curl_setopt_callback(easy, CURLOPT_WRITEFUNCTION, writeCallback), "write function"),
            (bd_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, context), "write data"),
            (bd_curl_setopt_callback(easy, CURLOPT_HEADERFUNCTION, headerCallback), "header function"),
            (bd_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, context), "header data"),
            (bd_curl_setopt_long(easy, CURLOPT_HTTP_CONTENT_DECODING, request.decodesGzip ? 1 : 0), "decoding"),
        ]
        if request.decodesGzip {
            checks.append((bd_curl_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "gzip"), "accept encoding"))
        }
        if let timeoutMilliseconds = request.timeoutMilliseconds {
            checks.append((bd_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(max(1, timeoutMilliseconds))), "timeout"))
        }
        checks += configureMethod()
        checks += configureHeaders()
        checks += configureTLS(request.tls)
        for (code, option) in checks where code != CURLE_OK {
            throw CurlError(
                .internalError,
                "curl refused option \(option): \(String(cString: curl_easy_strerror(code))) (\(CurlRuntime.version))")
        }
    }

    private func configureMethod() -> [(CURLcode, String)] {
        var checks: [(CURLcode, String)] = []
        switch request.method {
        case "GET": checks.append((bd_curl_setopt_long(easy, CURLOPT_HTTPGET, 1), "httpget"))
        case "HEAD": checks.append((bd_curl_setopt_long(easy, CURLOPT_NOBODY, 1), "nobody"))
        default:
            if request.method != "POST" {
                checks.append((bd_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method), "method"))
            }
        }
        if let bytes = request.body {
            checks.append((bd_curl_setopt_long(easy, CURLOPT_POST, 1), "post"))
            checks.append(
                (bd_curl_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)), "body size"))
            checks.append((bd_curl_setopt_pointer(easy, CURLOPT_POSTFIELDS, body.baseAddress), "body"))
        }
        return checks
    }

    private func configureHeaders() -> [(CURLcode, String)] {
        var lines = request.headers.map { header in
            // "Name:" alone tells curl to remove a header; "Name;" sends it empty.
            header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
        }
        // curl adds "Expect: 100-continue" to large bodies; Go's client never does.
        if !request.headers.contains(where: { $0.name.lowercased() == "expect" }) { lines.append("Expect:") }
        for line in lines { headerList = curl_slist_append(headerList, line) }
        return [(bd_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList), "headers")]
    }

    private func configureTLS(_ tls: TLSMaterial) -> [(CURLcode, String)] {
        var checks: [(CURLcode, String)] = []
        // CURL_BLOB_COPY: curl copies the bytes, so the arrays may go away after the call.
        func setBlob(_ option: CURLoption, _ bytes: [UInt8], _ name: String) {
            var copy = bytes
            let code = copy.withUnsafeMutableBytes { buffer in
                var blob = curl_blob(data: buffer.baseAddress, len: buffer.count, flags: UInt32(CURL_BLOB_COPY))
                return bd_curl_setopt_blob(easy, option, &blob)
            }
            checks.append((code, name))
        }
        // A root CA replaces the system store, as Dapr's RootCAs pool does.
        if let rootCA = tls.rootCA { setBlob(CURLOPT_CAINFO_BLOB, rootCA, "root CA") }
        if !tls.verifiesPeer {
            checks.append((bd_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0), "verify peer"))
            checks.append((bd_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0), "verify host"))
        }
        if let cert = tls.clientCert, let key = tls.clientKey {
            checks.append((bd_curl_setopt_string(easy, CURLOPT_SSLCERTTYPE, "PEM"), "cert type"))
            setBlob(CURLOPT_SSLCERT_BLOB, cert, "client certificate")
            checks.append((bd_curl_setopt_string(easy, CURLOPT_SSLKEYTYPE, "PEM"), "key type"))
            setBlob(CURLOPT_SSLKEY_BLOB, key, "client key")
        }
        return checks
    }
}

private let writeCallback: bd_curl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let headerCallback: bd_curl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}
