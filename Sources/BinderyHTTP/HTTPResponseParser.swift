/// Turns bytes from a server into one response (pure: the delivery client feeds it).
/// Interim 1xx responses are skipped. Bodies: none (HEAD, 1xx, 204, 304), Content-Length,
/// chunked, or until the connection closes (`finishAtEndOfFile`).
package struct HTTPResponseParser {
    package struct Head {
        package var status: Int
        package var version: HTTPVersion
        package var headers: HTTPHeaders
    }

    private enum State {
        case head(scanned: Int)
        case fixed(remaining: Int)
        case chunked(HTTPChunkedDecoder)
        case untilClose
        case done
    }

    let requestMethod: String
    let maxHeaderBytes: Int
    package let maxBodyBytes: Int
    private(set) var buffer = HTTPByteBuffer()
    private var state = State.head(scanned: 0)
    private(set) var head: Head?
    private var body: [UInt8] = []

    package init(requestMethod: String, maxHeaderBytes: Int = 64 * 1024, maxBodyBytes: Int = 64 * 1024 * 1024) {
        self.requestMethod = requestMethod
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// Whether the body runs until the server closes (the connection cannot be reused).
    var readsUntilClose: Bool { if case .untilClose = state { true } else { false } }

    package mutating func append(_ bytes: UnsafeRawBufferPointer) { buffer.append(bytes) }

    /// Parses what has arrived; returns the response once complete.
    package mutating func next() throws(HTTPParseError) -> HTTPResponse? {
        while true {
            switch state {
            case .head(let scanned):
                guard let end = buffer.endOfHeaderBlock(from: max(0, scanned - 3), limit: maxHeaderBytes) else {
                    if buffer.count >= maxHeaderBytes {
                        throw HTTPParseError(.headersTooLarge, "response head larger than \(maxHeaderBytes) bytes")
                    }
                    state = .head(scanned: buffer.count)
                    return nil
                }
                let block = try HTTPHeaderBlock.parse(buffer.bytes(0..<end), maxFields: 1000)
                buffer.consume(end)
                let parsed = try Self.statusLine(block.startLine)
                if parsed.status < 200 {
                    state = .head(scanned: 0)
                    continue
                }  // 100 Continue etc.
                head = Head(status: parsed.status, version: parsed.version, headers: block.headers)
                try startBody(block.headers, status: parsed.status)
            case .fixed(let remaining):
                let n = min(remaining, buffer.count)
                body.append(contentsOf: buffer.bytes(0..<n))
                buffer.consume(n)
                guard n == remaining else {
                    state = .fixed(remaining: remaining - n)
                    return nil
                }
                state = .done
            case .chunked(var decoder):
                let done = try decoder.decode(
                    &buffer, into: &body, maxBody: maxBodyBytes, maxTrailerBytes: maxHeaderBytes)
                state = done ? .done : .chunked(decoder)
                if !done { return nil }
            case .untilClose:
                body.append(contentsOf: buffer.bytes(0..<buffer.count))
                buffer.consume(buffer.count)
                guard body.count <= maxBodyBytes else {
                    throw HTTPParseError(.bodyTooLarge, "response body larger than \(maxBodyBytes) bytes")
                }
                return nil
            case .done:
                guard let head else { return nil }
                return HTTPResponse(status: head.status, headers: head.headers, body: body)
            }
        }
    }

    /// The server closed the connection: completes an until-close body, else the response is cut.
    mutating func finishAtEndOfFile() throws(HTTPParseError) -> HTTPResponse {
        if case .untilClose = state, let head {
            return HTTPResponse(status: head.status, headers: head.headers, body: body)
        }
        if let response = try next() { return response }
        throw .malformed(
            head == nil
                ? "connection closed before a complete response head"
                : "connection closed in the middle of the response body")
    }

    private mutating func startBody(_ headers: HTTPHeaders, status: Int) throws(HTTPParseError) {
        if requestMethod == "HEAD" || status == 204 || status == 304 {
            state = .done
            return
        }
        if try headers.isChunked() {
            state = .chunked(HTTPChunkedDecoder())
            return
        }
        if let length = try headers.declaredContentLength() {
            guard length <= maxBodyBytes else {
                throw HTTPParseError(.bodyTooLarge, "response Content-Length \(length) exceeds \(maxBodyBytes) bytes")
            }
            state = length == 0 ? .done : .fixed(remaining: length)
            return
        }
        state = .untilClose
    }

    /// `HTTP-version SP status-code SP [reason-phrase]` (RFC 9112 4).
    static func statusLine(_ line: String) throws(HTTPParseError) -> (version: HTTPVersion, status: Int) {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { throw .malformed("invalid status line \"\(line.prefix(80))\"") }
        let version: HTTPVersion
        switch parts[0] {
        case "HTTP/1.1": version = .http11
        case "HTTP/1.0": version = .http10
        default: throw .malformed("invalid status line \"\(line.prefix(80))\"")
        }
        guard parts[1].utf8.count == 3, let status = Int(parts[1]), status >= 100 else {
            throw .malformed("invalid status code in \"\(line.prefix(80))\"")
        }
        return (version, status)
    }
}
