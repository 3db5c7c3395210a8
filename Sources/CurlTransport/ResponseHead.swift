import DaprMetadata

/// The status line and headers of the final response, fed line by line from curl's header
/// callback (which also sees interim 1xx responses, redirects and trailers).
public struct ResponseHead: Sendable {
    public var statusCode = 0
    /// Go's `Response.Status`: "200 OK".
    public var status = ""
    /// Canonical names (Go's `CanonicalMIMEHeaderKey`) in arrival order, each with its values.
    public private(set) var headers: [(name: String, values: [String])] = []
    /// The first header line Go's reader would refuse (`net/textproto` "malformed MIME header
    /// line"), control characters escaped; once set, later lines are ignored and the exchange
    /// must fail rather than hand these headers on.
    public private(set) var malformedLine: String?
    /// True after the blank line: later lines until the next status line are trailers.
    private var complete = false

    /// Consumes one header line as curl delivers it, CRLF included.
    public mutating func consume(_ line: Substring) {
        guard malformedLine == nil else { return }
        var text = line
        // curl ends a line at LF only: a CR anywhere else stays in the text and is refused below.
        if text.last == "\r\n" || text.last == "\n" { text = text.dropLast() }
        if text.hasPrefix("HTTP/") {
            self = ResponseHead()
            parseStatusLine(text)
        } else if text.isEmpty {
            complete = true
        } else if complete {
            return
        } else if let first = text.first, first == " " || first == "\t", !headers.isEmpty {
            // obs-fold continuation of the previous value.
            guard ResponseHead.isValueText(text) else { return refuse(text) }
            let index = headers.count - 1
            let valueIndex = headers[index].values.count - 1
            headers[index].values[valueIndex] += " " + text.withoutOptionalWhitespace
        } else if let colon = text.firstIndex(of: ":"), ResponseHead.isReadableName(text[..<colon]),
            ResponseHead.isValueText(text[colon...].dropFirst())
        {
            add(String(text[..<colon]), String(text[text.index(after: colon)...].withoutOptionalWhitespace))
        } else {
            refuse(text)
        }
    }

    private mutating func refuse(_ line: Substring) {
        malformedLine = GoText.escaped(String(line.prefix(200)))
    }

    /// Go's reader accepts a name of token bytes and spaces (golang/go#34540); it keeps one with
    /// spaces as sent, and bindery's server later drops it as not valid HTTP.
    private static func isReadableName(_ name: Substring) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 == UInt8(ascii: " ") || isTokenByte($0) }
    }

    /// RFC 9110 field-value bytes: HTAB, SP, visible ASCII and obs-text; no CR, LF, NUL or DEL.
    private static func isValueText(_ value: Substring) -> Bool {
        value.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    /// The response metadata Dapr returns: statusCode, status and every header, values joined
    /// with ", ". `decodedGzip` drops Content-Encoding and Content-Length, as Go does after it
    /// decompresses a body itself.
    public func metadata(decodedGzip: Bool) -> [String: String] {
        var result: [String: String] = [:]
        for (name, values) in headers {
            if decodedGzip, name == "Content-Encoding" || name == "Content-Length" { continue }
            result[name] = values.joined(separator: ", ")
        }
        result["statusCode"] = String(statusCode)
        result["status"] = status
        return result
    }

    /// The values of `name` (canonical spelling), joined.
    public func value(_ name: String) -> String? {
        headers.first { $0.name == name }.map { $0.values.joined(separator: ", ") }
    }

    public init() {}

    /// True for an RFC 9110 token: a valid header name.
    public static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    private mutating func parseStatusLine(_ line: Substring) {
        guard let space = line.firstIndex(of: " ") else { return }
        let version = line[..<space]
        let rest = line[line.index(after: space)...].drop { $0 == " " }
        statusCode = Int(rest.prefix(3)) ?? 0
        status = String(rest)
        // HTTP/2 has no reason phrase; Go's http2 client fills in the standard text.
        if !version.hasPrefix("HTTP/1"), rest.count <= 4 {
            status = "\(statusCode) \(StatusText.text(for: statusCode))"
        }
    }

    private mutating func add(_ rawName: String, _ value: String) {
        let name = ResponseHead.canonical(rawName)
        // Go moves a chunked Transfer-Encoding out of Header.
        if name == "Transfer-Encoding" { return }
        if let index = headers.firstIndex(where: { $0.name == name }) {
            headers[index].values.append(value)
        } else {
            headers.append((name, [value]))
        }
    }

    /// Go's `CanonicalMIMEHeaderKey`: "content-type" → "Content-Type"; names with bytes
    /// outside a token are returned unchanged.
    public static func canonical(_ name: String) -> String {
        guard ResponseHead.isToken(name) else { return name }
        var upper = true
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            var out = byte
            if upper, byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") { out = byte - 32 }
            if !upper, byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { out = byte + 32 }
            bytes.append(out)
            upper = byte == UInt8(ascii: "-")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs (RFC 9110's optional whitespace).
    fileprivate var withoutOptionalWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[start...end]
    }
}
