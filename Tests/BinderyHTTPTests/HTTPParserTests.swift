import Testing

@testable import BinderyHTTP
@testable import BinderySystem

/// The parsers alone, fed bytes: no sockets.
@Suite struct HTTPParserTests {
    private let wire = Array(
        ("POST /a/b?c=d HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nwiki\r\n5\r\npedia\r\n0\r\nT: v\r\n\r\n"
            + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n").utf8)

    private func requests(splitAt cut: Int) throws -> [HTTPRequest] {
        var parser = HTTPRequestParser()
        var found: [HTTPRequest] = []
        for part in [Array(wire[..<cut]), Array(wire[cut...])] {
            parser.append(part)
            while case .request(let request) = try parser.next() { found.append(request) }
        }
        return found
    }

    @Test func everySplitPointYieldsTheSameRequests() throws {
        for cut in 0...wire.count {
            let found = try requests(splitAt: cut)
            #expect(found.count == 2, "split at \(cut)")
            #expect(found.first.map { String(decoding: $0.body, as: UTF8.self) } == "wikipedia")
            #expect(found.first?.path == "/a/b" && found.first?.query == "c=d")
            #expect(found.last?.target == "/next")
        }
    }

    @Test func responseParserHandlesInterim100AndChunkedBody() throws {
        var parser = HTTPResponseParser(requestMethod: "POST")
        let bytes = Array(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                .utf8)
        bytes.withUnsafeBytes { parser.append($0) }
        let response = try #require(try parser.next())
        #expect(response.status == 200 && response.text == "abc")
    }

    @Test func leadingEmptyLinesAreIgnored() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        guard case .request(let request) = try parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.method == "GET")
    }
}
