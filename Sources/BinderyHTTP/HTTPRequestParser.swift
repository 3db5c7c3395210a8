/// Turns bytes from one connection into requests, one at a time (pure: no I/O, fed in tests).
/// After an error the connection must be closed: the framing of what follows is unknown.
package struct HTTPRequestParser {
    package struct Limits: Sendable {
        var maxHeaderBytes = 16 * 1024
        package var maxBodyBytes = 4 * 1024 * 1024
        var maxHeaderCount = 100
    }

    package enum Event {
        /// A complete request.
        case request(HTTPRequest)
        /// A head with `Expect: 100-continue` whose body has not started: answer 100 to get it.
        case continueExpected
        case needMore
    }

    private enum State {
        case head(scanned: Int)
        case fixed(remaining: Int)
        case chunked(HTTPChunkedDecoder)
    }

    package let limits: Limits
    private(set) var buffer = HTTPByteBuffer()
    private var state = State.head(scanned: 0)
    private var pending: HTTPRequest?

    package init(limits: Limits = Limits()) { self.limits = limits }

    /// True while part of a request has arrived (the slow-client timer runs).
    var hasPartialRequest: Bool { pending != nil || !buffer.isEmpty }

    package mutating func append(_ bytes: UnsafeRawBufferPointer) { buffer.append(bytes) }

    package mutating func append(_ bytes: [UInt8]) { buffer.append(bytes) }

    package mutating func next() throws(HTTPParseError) -> Event {
        switch state {
        case .head(let scanned):
            return try parseHead(scanned: scanned)
        case .fixed(let remaining):
            guard var request = pending else { preconditionFailure("body state without a head") }
            let n = min(remaining, buffer.count)
            request.body.append(contentsOf: buffer.bytes(0..<n))
            buffer.consume(n)
            if n == remaining { return finish(request) }
            pending = request
            state = .fixed(remaining: remaining - n)
            return .needMore
        case .chunked(var decoder):
            guard var request = pending else { preconditionFailure("body state without a head") }
            pending = nil  // keep the body uniquely referenced while appending
            let done = try decoder.decode(
                &buffer, into: &request.body, maxBody: limits.maxBodyBytes, maxTrailerBytes: limits.maxHeaderBytes)
            if done { return finish(request) }
            pending = request
            state = .chunked(decoder)
            return .needMore
        }
    }

    private mutating func finish(_ request: HTTPRequest) -> Event {
        pending = nil
        state = .head(scanned: 0)
        return .request(request)
    }

    private mutating func parseHead(scanned: Int) throws(HTTPParseError) -> Event {
        // RFC 9112 2.2: ignore empty lines before a request line.
        while !buffer.isEmpty {
            if buffer[0] == 0x0A {
                buffer.consume(1)
                continue
            }
            guard buffer[0] == 0x0D else { break }
            guard buffer.count >= 2 else { return .needMore }
            guard buffer[1] == 0x0A else { throw .malformed("bare CR before the request line") }
            buffer.consume(2)
        }
        guard let end = buffer.endOfHeaderBlock(from: max(0, scanned - 3), limit: limits.maxHeaderBytes) else {
            if buffer.count >= limits.maxHeaderBytes {
                throw HTTPParseError(
                    .headersTooLarge, "request line and headers larger than \(limits.maxHeaderBytes) bytes")
            }
            state = .head(scanned: buffer.count)
            return .needMore
        }
        let block = try HTTPHeaderBlock.parse(buffer.bytes(0..<end), maxFields: limits.maxHeaderCount)
        buffer.consume(end)
        var request = try Self.requestLine(block.startLine)
        request.headers = block.headers
        return try startBody(request)
    }

    private mutating func startBody(_ request: HTTPRequest) throws(HTTPParseError) -> Event {
        let headers = request.headers
        if request.version == .http11 {
            let hosts = headers.values("Host")
            guard hosts.count == 1 else {
                throw .malformed(hosts.isEmpty ? "HTTP/1.1 request without Host" : "several Host headers")
            }
        }
        let chunked = try headers.isChunked()
        let length = try headers.declaredContentLength()
        if chunked, length != nil { throw .malformed("both Content-Length and Transfer-Encoding: chunked") }
        if let length, length > limits.maxBodyBytes {
            throw HTTPParseError(
                .bodyTooLarge, "Content-Length \(length) exceeds the limit of \(limits.maxBodyBytes) bytes")
        }
        let expectsBody = chunked || (length ?? 0) > 0
        guard expectsBody else { return finish(request) }
        pending = request
        state = chunked ? .chunked(HTTPChunkedDecoder()) : .fixed(remaining: length ?? 0)
        let wantsContinue = request.version == .http11 && headers.hasToken("100-continue", in: "Expect")
        if wantsContinue, buffer.isEmpty { return .continueExpected }
        return try next()
    }

    /// `method SP request-target SP HTTP-version` (RFC 9112 3).
    static func requestLine(_ line: String) throws(HTTPParseError) -> HTTPRequest {
        // Byte-wise: splitting the String by Character cost ~9% of a request (perf, bench/output.py).
        let bytes = Array(line.utf8)
        let space = UInt8(ascii: " ")
        guard let first = bytes.firstIndex(of: space), let second = bytes[(first + 1)...].firstIndex(of: space),
            !bytes[(second + 1)...].contains(space)
        else { throw .malformed("invalid request line \"\(line.prefix(80))\"") }
        let method = bytes[..<first], target = bytes[(first + 1)..<second], versionBytes = bytes[(second + 1)...]
        guard !method.isEmpty, method.allSatisfy(HTTPHeaderBlock.isTokenByte) else {
            throw .malformed("invalid method in request line \"\(line.prefix(80))\"")
        }
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw .malformed("invalid request-target in \"\(line.prefix(80))\"")
        }
        let version = String(decoding: versionBytes, as: UTF8.self)
        let parsedVersion: HTTPVersion
        switch version {
        case "HTTP/1.1": parsedVersion = .http11
        case "HTTP/1.0": parsedVersion = .http10
        default:
            let v = version.utf8
            if v.count == 8, version.hasPrefix("HTTP/"), v.allSatisfy({ $0 != 0x20 }) {
                throw HTTPParseError(.unsupportedVersion, "unsupported version \(version)")
            }
            throw .malformed("invalid HTTP version in \"\(line.prefix(80))\"")
        }
        return HTTPRequest(
            method: String(decoding: method, as: UTF8.self), target: String(decoding: target, as: UTF8.self),
            version: parsedVersion)
    }
}
