import DriverKit
import Testing

@testable import CurlTransport
@testable import HTTPDriver

@Suite struct OutgoingRequestTests {
    let settings: HTTPSettings

    init() throws {
        settings = try HTTPSettings(
            DriverConfiguration(
                componentName: "web", type: "bindings.http", directions: [.output],
                metadata: ["url": "http://a/base/", "securityToken": "s3cret", "securityTokenHeader": "X-Token"]))
    }

    @Test(arguments: [
        ("http://a", "x", "http://a/x"), ("http://a/", "/x", "http://a/x"), ("http://a//", "//x?q=1", "http://a/x?q=1"),
        ("http://a/b", "c/d", "http://a/b/c/d"),
    ])
    func pathIsJoinedWithOneSlash(base: String, path: String, joined: String) {
        #expect(OutgoingRequest.join(base, path) == joined)
    }

    @Test func operationsMapToMethods() throws {
        for (operation, method) in OutgoingRequest.methods {
            let request = try OutgoingRequest(
                InvokeRequest(operation: operation, data: Array("1".utf8)), settings: settings)
            #expect(request.method == method)
            #expect((request.body != nil) == ["POST", "PUT", "PATCH"].contains(method), "\(operation)")
        }
        #expect(OutgoingRequest.methods["create"] == "POST")
    }

    @Test func capitalisedKeysBecomeHeadersAndDefaultsApply() throws {
        let request = try OutgoingRequest(
            InvokeRequest(
                operation: "post", data: Array("\"hi\"".utf8),
                metadata: [
                    "path": "p", "X-Custom": "1", "lower-case": "no", "Accept": "text/plain", "errorIfNot2XX": "false",
                ]),
            settings: settings)
        let headers = Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        #expect(headers["X-Custom"] == "1")
        #expect(headers["lower-case"] == nil)
        #expect(headers["path"] == nil)
        #expect(headers["Accept"] == "text/plain")
        #expect(headers["Content-Type"] == "application/json; charset=utf-8")
        #expect(headers["X-Token"] == "s3cret")
        #expect(request.url == "http://a/base/p")
        #expect(request.errorIfNot2XX == false)
        #expect(request.body == Array("\"hi\"".utf8))
    }

    @Test func headersReplaceCaseInsensitively() throws {
        let request = try OutgoingRequest(
            InvokeRequest(operation: "put", metadata: ["CONTENT-TYPE": "text/csv", "X-TOKEN": "mine"]),
            settings: settings)
        #expect(request.headers.filter { $0.name.lowercased() == "content-type" }.map(\.value) == ["text/csv"])
        #expect(request.headers.filter { $0.name.lowercased() == "x-token" }.map(\.value) == ["mine"])
    }

    @Test func getHasNoBodyAndNoContentType() throws {
        let request = try OutgoingRequest(InvokeRequest(operation: "get", data: Array("null".utf8)), settings: settings)
        #expect(request.body == nil)
        #expect(!request.headers.contains { $0.name == "Content-Type" })
        #expect(request.headers.contains { $0.name == "Accept" && $0.value == "application/json; charset=utf-8" })
    }

    @Test func headerInjectionIsRefused() {
        #expect(throws: DriverError.self) {
            try OutgoingRequest(InvokeRequest(operation: "get", metadata: ["X-A": "1\r\nX-B: 2"]), settings: settings)
        }
        #expect(throws: DriverError.self) {
            try OutgoingRequest(InvokeRequest(operation: "get", metadata: ["X A": "1"]), settings: settings)
        }
    }

    @Test func traceHeadersAreForwarded() throws {
        let request = try OutgoingRequest(
            InvokeRequest(operation: "get", metadata: ["traceparent": "00-abc-def-01", "tracestate": "k=v"]),
            settings: settings)
        #expect(request.headers.contains { $0.name == "traceparent" && $0.value == "00-abc-def-01" })
        #expect(request.headers.contains { $0.name == "tracestate" })
    }
}

@Suite struct ResponseHeadTests {
    @Test func finalResponseWinsAndNamesAreCanonical() {
        var head = ResponseHead()
        for line in [
            "HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/1.1 201 Created\r\n", "content-type: text/plain\r\n",
            "X-Multi: a\r\n", "x-multi: b\r\n", "Transfer-Encoding: chunked\r\n", "\r\n", "X-Trailer: t\r\n",
        ] {
            head.consume(Substring(line))
        }
        let metadata = head.metadata(decodedGzip: false)
        #expect(metadata["statusCode"] == "201")
        #expect(metadata["status"] == "201 Created")
        #expect(metadata["Content-Type"] == "text/plain")
        #expect(metadata["X-Multi"] == "a, b")
        #expect(metadata["Transfer-Encoding"] == nil)
        #expect(metadata["X-Trailer"] == nil)
    }

    @Test func http2StatusGetsGoReasonPhrase() {
        var head = ResponseHead()
        head.consume("HTTP/2 404 \r\n")
        #expect(head.status == "404 Not Found")
    }
}
