import Testing

@testable import BinderyHTTP

/// The response serializer alone: what reaches the wire for header fields from anywhere.
@Suite struct HTTPResponseWireTests {
    /// The head of `response` as written, split into lines at CRLF.
    private func headLines(_ response: HTTPResponse) -> [String] {
        var out: [UInt8] = []
        response.write(into: &out, headOnly: false, close: false)
        let text = String(decoding: out, as: UTF8.self)
        return text.components(separatedBy: "\r\n\r\n").first?.components(separatedBy: "\r\n") ?? []
    }

    @Test func invalidHeaderNamesAndValuesAreNeverWritten() {
        let response = HTTPResponse(
            status: 200,
            headers: HTTPHeaders([
                ("metadata.X-A", "a\rInjected: 1"), ("metadata.X-B", "b\nInjected: 2"),
                ("metadata.X-C", "c\r\nInjected: 3"), ("metadata.Bad Name", "v"), ("metadata.X-Nul", "a\u{0}b"),
                ("metadata.X-Bell", "a\u{7}b"), ("metadata.X-Del", "a\u{7F}b"), ("", "empty name"),
                ("X-Colon:", "v"), ("metadata.X-Tab", "a\tb"), ("metadata.X-Text", "caf\u{E9} 1"),
                ("metadata.statusCode", "200"),
            ]), text: "{}")
        let lines = headLines(response)
        #expect(lines.first == "HTTP/1.1 200 OK")
        #expect(
            Array(lines.dropFirst()) == [
                "metadata.X-Tab: a\tb", "metadata.X-Text: caf\u{E9} 1", "metadata.statusCode: 200",
                "Content-Length: 2",
            ])
        for line in lines {
            #expect(!line.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }, "\(line.debugDescription)")
        }
    }

    @Test func requestsToTheAppCarryNoInvalidHeaderEither() {
        let headers = HTTPHeaders([
            ("topic", "a\r\nInjected: 1"), ("X-Nul", "a\u{0}b"), ("Bad Name", "v"), ("X-Ok", "fine"),
        ])
        let wire = HTTPClient.serialize("POST", host: "127.0.0.1", port: 80, path: "/in", headers: headers, body: [])
        let lines = String(decoding: wire, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines == ["POST /in HTTP/1.1", "Host: 127.0.0.1:80", "X-Ok: fine", "Content-Length: 0", "", ""])
    }

    @Test func headerValidityFollowsRFC9110() {
        #expect(HTTPHeaders.isValidName("metadata.X-Request_Id~1"))
        for name in ["", "a b", "a:b", "a\rb", "a\u{0}", "caf\u{E9}", "(x)", "a/b"] {
            #expect(!HTTPHeaders.isValidName(name), "name \(name.debugDescription)")
        }
        #expect(HTTPHeaders.isValidValue("") && HTTPHeaders.isValidValue("a\tb \u{E9} \"q\" ~"))
        for value in ["\r", "\n", "\u{0}", "\u{1B}[31m", "\u{7F}", "a\u{1F}"] {
            #expect(!HTTPHeaders.isValidValue(value), "value \(value.debugDescription)")
        }
    }

    @Test func eachDroppedNameIsReportedOnce() {
        let drops = HTTPDroppedHeaders()
        #expect(drops.isFirst("metadata.X-A"))
        #expect(!drops.isFirst("metadata.X-A"))
        #expect(drops.isFirst("metadata.X-B"))
        for index in 0..<HTTPDroppedHeaders.capacity { _ = drops.isFirst("name \(index)") }
        #expect(!drops.isFirst("one more"), "names are remembered up to a bound, then no longer reported")
    }
}
