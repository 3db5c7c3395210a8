extension HTTPResponse {
    /// Appends the response as HTTP/1.1 bytes. The server owns framing: caller-supplied
    /// Content-Length, Transfer-Encoding and Connection headers are replaced. A field that is
    /// not valid HTTP is dropped with a warning (`HTTPDroppedHeaders`), never written.
    /// - Parameters:
    ///   - headOnly: a HEAD request: Content-Length as for GET, no body (RFC 9110 9.3.2).
    ///   - close: announce and perform `Connection: close`.
    ///   - keepAlive10: an HTTP/1.0 client asked for keep-alive and gets it announced.
    package func write(
        into out: inout [UInt8], headOnly: Bool, close: Bool, keepAlive10: Bool = false, date: ArraySlice<UInt8>? = nil
    ) {
        out.append(contentsOf: "HTTP/1.1 \(status) \(Self.reason(status))\r\n".utf8)
        if let date {
            out.append(contentsOf: "Date: ".utf8)
            out.append(contentsOf: date)
            out.append(contentsOf: "\r\n".utf8)
        }
        for field in headers {
            if HTTPHeaders.same(field.name, "Content-Length") || HTTPHeaders.same(field.name, "Transfer-Encoding")
                || HTTPHeaders.same(field.name, "Connection") || (date != nil && HTTPHeaders.same(field.name, "Date"))
            {
                continue
            }
            if let problem = HTTPHeaders.problem(with: field) {
                HTTPDroppedHeaders.shared.report(field, in: "response", problem: problem)
                continue
            }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        // RFC 9110 8.6: no Content-Length in 1xx and 204 responses; 304 has no body either.
        let bodyless = status < 200 || status == 204 || status == 304
        if !bodyless {
            out.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8)
        }
        if close {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if keepAlive10 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        if !headOnly, !bodyless { out.append(contentsOf: body) }
    }

    /// Reason phrases for the codes the host sends; others get a generic one (clients ignore it).
    package static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 417: "Expectation Failed"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500 ? "Client Error" : "Server Error"
        }
    }
}
