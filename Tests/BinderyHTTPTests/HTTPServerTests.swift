import DriverTesting
import Foundation
import Glibc
import Synchronization
import Testing

@testable import BinderyHTTP
@testable import BinderySystem

@Suite struct HTTPServerTests {
    @Test func ephemeralPortIsReadable() throws {
        try withServer { server in
            #expect(server.port > 0)
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneSocket() throws {
        try withServer { server in
            let client = try WireClient(port: server.port)
            for i in 0..<5 {
                try client.send("GET /n/\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "GET /n/\(i) ")
                #expect(response.headers["Content-Length"] == "\(response.body.count)")
                #expect(response.headers["Connection"] == nil)
            }
        }
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() throws {
        try withServer { server in
            let keep = try WireClient(port: server.port)
            try keep.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try keep.readResponse().headers["Connection"] == "keep-alive")
            try keep.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try keep.readResponse().text == "GET /b ")

            let plain = try WireClient(port: server.port)
            try plain.send("GET /c HTTP/1.0\r\n\r\n")
            let text = try plain.readToEnd()
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.contains("Connection: close\r\n"))
        }
    }

    @Test func connectionCloseIsHonoured() throws {
        try withServer { server in
            let client = try WireClient(port: server.port)
            try client.send(
                "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /ignored HTTP/1.1\r\nHost: x\r\n\r\n")
            let text = try client.readToEnd()
            #expect(text.contains("Connection: close\r\n"))
            #expect(text.hasSuffix("GET /x "))
            #expect(!text.contains("ignored"))
        }
    }

    @Test func pipelinedResponsesKeepRequestOrderWhenHandlersFinishOutOfOrder() throws {
        // The first request is answered last, from another thread.
        let handler: @Sendable (HTTPRequest, HTTPResponder) -> Void = { request, responder in
            let delay = request.path == "/slow" ? 100_000 : request.path == "/medium" ? 30_000 : 0
            let thread = Thread {
                usleep(useconds_t(delay))
                responder.send(HTTPResponse(status: 200, text: request.path))
            }
            thread.start()
        }
        try withServer(handler: handler) { server in
            let client = try WireClient(port: server.port)
            try client.send(
                ["/slow", "/medium", "/fast", "/fast2"].map { "GET \($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
            #expect(try client.readResponse().text == "/slow")
            #expect(try client.readResponse().text == "/medium")
            #expect(try client.readResponse().text == "/fast")
            #expect(try client.readResponse().text == "/fast2")
        }
    }

    @Test func contentLengthAndChunkedBodiesArrive() throws {
        try withServer { server in
            let client = try WireClient(port: server.port)
            try client.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
            #expect(try client.readResponse().text == "POST /a hello")
            try client.send(
                "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3;name=value\r\nabc\r\n4\r\ndefg\r\n0\r\nX-Trailer: yes\r\n\r\n")
            #expect(try client.readResponse().text == "POST /b abcdefg")
            try client.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().text == "GET /c ")
        }
    }

    @Test func bodyArrivingByteByByteIsAssembled() throws {
        try withServer { server in
            let client = try WireClient(port: server.port)
            let wire =
                "POST /slow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n"
            for byte in wire.utf8 { try client.send([byte]) }
            #expect(try client.readResponse().text == "POST /slow hello!")
        }
    }

    @Test func expectContinueGets100BeforeTheBody() throws {
        try withServer { server in
            let client = try WireClient(port: server.port)
            try client.send("PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = recv(client.fd, &buffer, 64, 0)
            #expect(String(decoding: buffer[0..<max(n, 0)], as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
            try client.send("data")
            #expect(try client.readResponse().text == "PUT /up data")
        }
    }

    @Test func headResponseHasLengthButNoBody() throws {
        try withServer { server in
            let client = try WireClient(port: server.port)
            try client.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /g HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(method: "HEAD")
            #expect(head.headers["Content-Length"] == "8")
            #expect(head.body.isEmpty)
            #expect(try client.readResponse().text == "GET /g ")  // framing intact after HEAD
        }
    }

    @Test func handlerSeesPathQueryAndHeaders() throws {
        let seen = Mutex<HTTPRequest?>(nil)
        try withServer(handler: { request, responder in
            seen.withLock { $0 = request }
            responder.send(HTTPResponse(status: 204))
        }) { server in
            let client = try WireClient(port: server.port)
            try client.send("GET /v1.0/bindings/my%20binding?x=1&y=2 HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a:  2 \r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 204)
            #expect(response.headers["Content-Length"] == nil)
            let request = try #require(seen.withLock { $0 })
            #expect(request.path == "/v1.0/bindings/my%20binding")
            #expect(request.query == "x=1&y=2")
            #expect(request.headers.values("x-A") == ["1", "2"])
            #expect(HTTPPath.segments(request.path) == ["v1.0", "bindings", "my binding"])
        }
    }

    @Test func percentDecodingRejectsBrokenEscapes() {
        #expect(HTTPPath.percentDecoded("a%2Fb%20c") == "a/b c")
        #expect(HTTPPath.percentDecoded("%e2%82%ac") == "€")
        #expect(HTTPPath.percentDecoded("bad%2") == nil)
        #expect(HTTPPath.percentDecoded("bad%zz") == nil)
        #expect(HTTPPath.percentDecoded("%ff") == nil)
    }

    @Test func shutdownFinishesResponsesInFlight() throws {
        let responders = Mutex<[HTTPResponder]>([])
        let server = try HTTPServer(
            HTTPServerConfiguration(), handler: { _, responder in responders.withLock { $0.append(responder) } })
        server.start()
        let client = try WireClient(port: server.port)
        try client.send("GET /pending HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(eventually { responders.withLock { $0.count } == 1 })
        let stopper = Thread { server.shutdown() }
        stopper.start()
        usleep(20_000)
        responders.withLock { $0[0].send(HTTPResponse(status: 200, text: "late")) }
        let text = try client.readToEnd()
        #expect(text.contains("Connection: close"))
        #expect(text.hasSuffix("late"))
        #expect(eventually { stopper.isFinished })
        #expect(throws: TestFailure.self) { try WireClient(port: server.port) }
    }
}
