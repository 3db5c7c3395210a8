/// The protocol version of a request; responses are always sent as HTTP/1.1.
package enum HTTPVersion: Sendable, Equatable, CustomStringConvertible {
    case http10
    case http11

    package var description: String { self == .http10 ? "HTTP/1.0" : "HTTP/1.1" }
}

/// One parsed request, body complete (Content-Length or de-chunked).
package struct HTTPRequest: Sendable {
    package var method: String
    /// The raw request-target as sent (`/v1.0/bindings/x?a=1`).
    package var target: String
    /// The target before `?`, still percent-encoded (see `HTTPPath.percentDecoded`).
    package var path: String
    /// The target after `?` without it; empty when there is none.
    package var query: String
    package var version: HTTPVersion
    package var headers: HTTPHeaders
    package var body: [UInt8]

    package init(
        method: String, target: String, version: HTTPVersion = .http11, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
            query = ""
        }
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// Whether the client wants the connection kept open after this request (RFC 9112 9.3).
    var keepAlive: Bool {
        switch version {
        case .http11: !headers.hasToken("close", in: "Connection")
        case .http10: headers.hasToken("keep-alive", in: "Connection") && !headers.hasToken("close", in: "Connection")
        }
    }
}

/// A response: the server adds Content-Length and Connection itself.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: [UInt8]

    package init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    package init(status: Int, headers: HTTPHeaders = HTTPHeaders(), text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    /// The body as UTF-8 text (lossy), for logs and tests.
    package var text: String { String(decoding: body, as: UTF8.self) }
}
