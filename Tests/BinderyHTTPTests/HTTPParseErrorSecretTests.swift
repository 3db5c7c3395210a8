import Testing

@testable import BinderyHTTP

/// Rejection reasons go into the 400 body and the debug log: they name the header and the
/// problem, never a header's value (an API token in a malformed line must not come back).
@Suite struct HTTPParseErrorSecretTests {
    static let secret = "SECRET-7f3a9c"

    @Test(arguments: [
        "dapr-api-token \(secret)\r\n",  // no colon
        "dapr-api-token \(secret): x\r\n",  // space inside the name
        "dapr-api-token=\(secret): x\r\n",  // '=' inside the name
        "\(secret)\r\n",  // a bare value on its own line
        "dapr-api-token: a\r\n \(secret)\r\n",  // obsolete line folding
        "dapr-api-token: \(secret)\u{01}\r\n",  // control character in the value
        "dapr-api-token: \(secret)\rX: y\r\n",  // bare CR in the value
        "Content-Length: \(secret)\r\n",
        "Content-Length: 1\r\nContent-Length: \(secret)\r\n",
        "Transfer-Encoding: \(secret)\r\n",
        "Transfer-Encoding: \(secret), chunked\r\n",
    ])
    func rejectionReasonNeverQuotesAHeaderValue(fields: String) throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /v1.0/bindings/x HTTP/1.1\r\nHost: h\r\n\(fields)\r\n".utf8))
        let error = try #require(throws: HTTPParseError.self) { _ = try parser.next() }
        #expect(!error.reason.contains(Self.secret), "\(error.reason)")
        #expect(!error.reason.isEmpty)
    }

    @Test func reasonStillNamesTheHeader() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\r\nHost: h\r\ndapr-api-token: \(Self.secret)\u{01}\r\n\r\n".utf8))
        let error = try #require(throws: HTTPParseError.self) { _ = try parser.next() }
        #expect(error.reason.contains("dapr-api-token"), "\(error.reason)")
    }
}
