import Foundation
import Glibc
import Synchronization
import Testing

@testable import BinderyHTTP
@testable import BinderySystem

@Suite struct HTTPClientTests {
    @Test func reusesOneConnectionForKeepAliveRequests() throws {
        try withServer(handler: { request, responder in
            responder.send(HTTPResponse(status: 200, text: request.path))
        }) { server in
            let client = HTTPClient()
            for i in 0..<10 {
                let response = try client.send("GET", host: "127.0.0.1", port: server.port, path: "/r\(i)")
                #expect(response.text == "/r\(i)")
                #expect(client.idleConnectionCount(host: "127.0.0.1", port: server.port) == 1)
            }
        }
    }

    @Test func postsBodyAndHeaders() throws {
        try withServer { server in
            let client = HTTPClient()
            let response = try client.send(
                "POST", host: "127.0.0.1", port: server.port, path: "/route", headers: ["X-Tag": "t1"],
                body: Array("{\"a\":1}".utf8))
            #expect(response.status == 200)
            #expect(response.headers["x-tag"] == "t1")
            #expect(response.text == "POST /route {\"a\":1}")
        }
    }

    @Test func headResponseHasNoBodyAndConnectionStaysUsable() throws {
        try withServer { server in
            let client = HTTPClient()
            let head = try client.send("HEAD", host: "127.0.0.1", port: server.port, path: "/h")
            #expect(head.body.isEmpty)
            #expect(try client.send("GET", host: "127.0.0.1", port: server.port, path: "/g").text == "GET /g ")
        }
    }

    @Test func refusedConnectionIsReported() throws {
        let port = try withServer { $0.port }  // closed now: nothing listens there
        let error = try #require(
            clientError { _ = try HTTPClient().send("OPTIONS", host: "127.0.0.1", port: port, path: "/route") })
        #expect(error.code == .refused)
        #expect(error.description.hasPrefix("OPTIONS 127.0.0.1:\(port)/route: connection refused"))
    }

    @Test func requestTimeoutIsReported() throws {
        let held = Mutex<[HTTPResponder]>([])
        try withServer(handler: { _, responder in held.withLock { $0.append(responder) } }) { server in
            var configuration = HTTPClientConfiguration()
            configuration.requestTimeout = .milliseconds(150)
            let start = Date()
            let error = clientError {
                _ = try HTTPClient(configuration).send("GET", host: "127.0.0.1", port: server.port, path: "/never")
            }
            #expect(error?.code == .timeout)
            #expect(Date().timeIntervalSince(start) < 2)
            for responder in held.withLock({ $0 }) { responder.send(HTTPResponse(status: 200)) }
        }
    }

    @Test func serverClosingAnIdlePooledConnectionIsHandled() throws {
        try withServer({ $0.idleTimeout = .milliseconds(50) }) { (server: HTTPServer) throws -> Void in
            let client = HTTPClient()
            #expect(try client.send("GET", host: "127.0.0.1", port: server.port, path: "/1").status == 200)
            #expect(eventually { Socket.peerClosed(Self.pooledFD(client, server.port)) })
            #expect(try client.send("GET", host: "127.0.0.1", port: server.port, path: "/2").text == "GET /2 ")
        }
    }

    private func clientError(_ body: () throws -> Void) -> HTTPClientError? {
        do {
            try body()
            return nil
        } catch {
            return error as? HTTPClientError
        }
    }

    private static func pooledFD(_ client: HTTPClient, _ port: Int) -> Int32 {
        // Test-only peek at the pool: there is one idle connection.
        client.idleConnectionCount(host: "127.0.0.1", port: port) == 1
            ? client.peekIdleFD(host: "127.0.0.1", port: port) : -1
    }

    // Against an independent server.

    @Test func readsChunkedResponseWithExtensionsAndTrailers() throws {
        let python = try PythonHTTPServer()
        let client = HTTPClient()
        let response = try client.send("GET", host: "127.0.0.1", port: python.port, path: "/chunked")
        #expect(response.status == 200)
        #expect(response.text == "hello chunked world")
        #expect(try client.send("GET", host: "127.0.0.1", port: python.port, path: "/after").text == "/after served=2")
    }

    @Test func readsBodyUntilClose() throws {
        let python = try PythonHTTPServer()
        let client = HTTPClient()
        #expect(
            try client.send("GET", host: "127.0.0.1", port: python.port, path: "/until-close").text
                == "body until close")
        #expect(client.idleConnectionCount(host: "127.0.0.1", port: python.port) == 0)
    }

    @Test func retriesOnceWhenAReusedConnectionDropsTheRequest() throws {
        let python = try PythonHTTPServer()
        let client = HTTPClient()
        #expect(try client.send("GET", host: "127.0.0.1", port: python.port, path: "/flaky").text == "/flaky served=1")
        // The pooled connection drops its second request unanswered; a fresh one serves it.
        #expect(try client.send("GET", host: "127.0.0.1", port: python.port, path: "/flaky").text == "/flaky served=1")
    }

    @Test func postsToAnIndependentServer() throws {
        let python = try PythonHTTPServer()
        let response = try HTTPClient().send(
            "POST", host: "localhost", port: python.port, path: "/events",
            headers: ["Content-Type": "application/json"], body: Array("[1,2]".utf8))
        #expect(response.status == 201)
        #expect(response.text == "[1,2]")
        #expect(response.headers["X-Seen-Type"] == "application/json")
    }
}
