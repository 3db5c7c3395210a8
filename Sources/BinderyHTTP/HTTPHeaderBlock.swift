/// The head of a message: start line and header fields (RFC 9112 2–5). One parser for requests,
/// responses and chunked trailers. Lines end in CRLF or a bare LF (RFC 9112 2.2 allows it);
/// a bare CR, a control character, obs-fold or whitespace before the colon is rejected.
package struct HTTPHeaderBlock {
    package var startLine: String
    package var headers: HTTPHeaders

    /// Parses `bytes`, which end with the empty line. With `hasStartLine` false (trailers) every
    /// line is a field.
    package static func parse(_ bytes: ArraySlice<UInt8>, hasStartLine: Bool = true, maxFields: Int)
        throws(HTTPParseError) -> HTTPHeaderBlock
    {
        var block = HTTPHeaderBlock(startLine: "", headers: HTTPHeaders())
        var lineStart = bytes.startIndex
        var first = hasStartLine
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard bytes[index] == 0x0A else {
                index += 1
                continue
            }
            var lineEnd = index
            if lineEnd > lineStart, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = bytes[lineStart..<lineEnd]
            index += 1
            lineStart = index
            if line.isEmpty { break }
            if first {
                try checkText(line, what: "start line")
                block.startLine = String(decoding: line, as: UTF8.self)
                first = false
                continue
            }
            guard block.headers.count < maxFields else {
                throw HTTPParseError(.tooManyHeaders, "more than \(maxFields) header fields")
            }
            let (name, value) = try field(line)
            block.headers.add(name, value)
        }
        return block
    }

    /// One `name: value` line. Errors name the header and the problem, never quote the line: it
    /// may carry a credential (`dapr-api-token`, `Authorization`), and reasons reach the log and
    /// the 400 body.
    package static func field(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String) {
        guard let colon = line.firstIndex(of: 0x3A) else {
            if let first = line.first, first == 0x20 || first == 0x09 {
                throw .malformed("obsolete line folding (a header line starting with whitespace)")
            }
            throw .malformed("header line without a colon")
        }
        let name = line[line.startIndex..<colon]
        if let bad = name.firstIndex(where: { !isTokenByte($0) }) {
            // The valid part before the bad byte names the header; what follows may be a value.
            let valid = String(decoding: name[..<bad], as: UTF8.self)
            throw .malformed("invalid header field name: byte 0x\(String(name[bad], radix: 16)) after \"\(valid)\"")
        }
        guard !name.isEmpty else { throw .malformed("header line with an empty field name") }
        var valueStart = colon + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        try checkText(value, what: "value of header \(String(decoding: name, as: UTF8.self))")
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// Rejects control characters other than HTAB (this includes a bare CR and NUL).
    static func checkText(_ bytes: ArraySlice<UInt8>, what: String) throws(HTTPParseError) {
        for byte in bytes where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            throw .malformed("control character 0x\(String(byte, radix: 16)) in \(what)")
        }
    }

    /// tchar (RFC 9110 5.6.2).
    static func isTokenByte(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    /// A short, printable quotation of wire bytes for error messages (chunk-size lines; never a
    /// header line, which may carry a credential).
    package static func quoted(_ bytes: ArraySlice<UInt8>) -> String {
        let shown = bytes.prefix(60).map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "?" }
        return "\"" + String(shown) + (bytes.count > 60 ? "…" : "") + "\""
    }
}

extension HTTPHeaders {
    /// The body length Content-Length declares: nil when absent; an error when not a decimal
    /// number or when several values disagree (RFC 9112 6.3, request smuggling).
    func declaredContentLength() throws(HTTPParseError) -> Int? {
        var length: Int?
        for value in values("Content-Length") {
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                let digits = part.trimmingASCIISpaces
                guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                    let n = Int(digits)
                else { throw .malformed("Content-Length is not a decimal number") }
                if let length, length != n { throw .malformed("conflicting Content-Length values") }
                length = n
            }
        }
        return length
    }

    /// Whether Transfer-Encoding makes the body chunked; an error for codings other than a final
    /// "chunked", which this implementation does not decode.
    func isChunked() throws(HTTPParseError) -> Bool {
        let codings = values("Transfer-Encoding").flatMap { $0.split(separator: ",") }.map { $0.trimmingASCIISpaces }
        guard let last = codings.last else { return false }
        guard HTTPHeaders.same(last, "chunked"), codings.count == 1 else {
            throw HTTPParseError(.unsupportedTransferCoding, "unsupported Transfer-Encoding (only chunked is decoded)")
        }
        return true
    }
}
