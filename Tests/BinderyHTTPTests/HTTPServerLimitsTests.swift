import Foundation
import Glibc
import Testing

@testable import BinderyHTTP
@testable import BinderySystem

/// Malformed requests and limits: each gets its status with Connection: close, the connection
/// closes, and a second connection opened before it keeps working.
@Suite struct HTTPServerLimitsTests {
    private func expectRejected(
        _ wire: String, status: Int, configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) throws {
        try withServer(configure) { server in
            let bystander = try WireClient(port: server.port)
            try bystander.send("GET /before HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try bystander.readResponse().status == 200)

            let client = try WireClient(port: server.port)
            try client.send(wire)
            let text = try client.readToEnd()
            #expect(
                text.hasPrefix("HTTP/1.1 \(status) "), "for \(wire.debugDescription.prefix(80)): \(text.prefix(120))")
            #expect(text.contains("Connection: close\r\n"))

            try bystander.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try bystander.readResponse().text == "GET /after ")
        }
    }

    @Test(arguments: [
        "GARBAGE\r\n\r\n",
        "GET /x\r\nHost: x\r\n\r\n",
        "GET  /x HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /x HTTP/1.1 extra\r\nHost: x\r\n\r\n",
        "G(T /x HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: x\r\nName : v\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: x\r\nA: b\u{01}c\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: x\rA: b\r\n\r\n",
        "GET /x HTTP/1.1\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd",
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
    ])
    func malformedRequestGets400AndLeavesOthersAlone(wire: String) throws {
        try expectRejected(wire, status: 400)
    }

    @Test func unknownVersionGets505() throws {
        try expectRejected("GET /x HTTP/2.0\r\nHost: x\r\n\r\n", status: 505)
    }

    @Test func unsupportedTransferCodingGets501() throws {
        try expectRejected("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501)
    }

    @Test func oversizedHeadGets431() throws {
        let big = String(repeating: "a", count: 17 * 1024)
        try expectRejected("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: \(big)\r\n\r\n", status: 431)
    }

    @Test func oversizedHeadWithoutEndGets431() throws {
        try expectRejected("GET /" + String(repeating: "a", count: 20 * 1024), status: 431)
    }

    @Test func tooManyHeadersGets431() throws {
        let headers = (0..<20).map { "X-\($0): v\r\n" }.joined()
        try expectRejected("GET /x HTTP/1.1\r\nHost: x\r\n\(headers)\r\n", status: 431) { $0.maxHeaderCount = 10 }
    }

    @Test func declaredBodyOverLimitGets413WithoutReadingIt() throws {
        try expectRejected("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n", status: 413) {
            $0.maxBodyBytes = 1000
        }
    }

    @Test func chunkedBodyOverLimitGets413() throws {
        let chunk = String(repeating: "z", count: 600)
        let wire =
            "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n"
        try expectRejected(wire, status: 413) { $0.maxBodyBytes = 1000 }
    }

    @Test func expectContinueOverLimitGets413InsteadOf100() throws {
        try expectRejected(
            "PUT /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n", status: 413
        ) {
            $0.maxBodyBytes = 1000
        }
    }

    @Test func bodyAtTheLimitIsAccepted() throws {
        try withServer({ $0.maxBodyBytes = 1000 }) { server in
            let client = try WireClient(port: server.port)
            try client.send(
                "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "b", count: 1000))
            #expect(try client.readResponse().body.count == "POST /x ".count + 1000)
        }
    }

    @Test func malformedRequestAfterGoodOnesIsAnsweredInOrder() throws {
        try withServer { server in
            let client = try WireClient(port: server.port)
            try client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nBROKEN\r\n\r\n")
            #expect(try client.readResponse().text == "GET /1 ")
            #expect(try client.readResponse().text == "GET /2 ")
            #expect(try client.readResponse().status == 400)
            #expect(try client.readToEnd().isEmpty)
        }
    }
}
