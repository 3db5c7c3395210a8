import CurlTransport
import Testing

/// The client's life cycle and failure kinds; real exchanges are tested through bindings.http.
@Suite struct CurlClientTests {
    @Test func performBeforeStartIsRefused() async {
        let client = CurlClient()
        let result = await client.perform(CurlRequest(method: "GET", url: "http://127.0.0.1:1/"))
        #expect(result.failureKind == .notStarted)
    }

    @Test func aClosedPortIsUnreachableAndReadsLikeGo() async throws {
        let client = CurlClient()
        try client.start()
        let result = await client.perform(CurlRequest(method: "GET", url: "http://127.0.0.1:1/"))
        await client.stop()
        #expect(result.failureKind == .unreachable)
        if case .failure(let error) = result { #expect(error.message.hasPrefix("Get \"http://127.0.0.1:1/\": ")) }
    }

    @Test func performAfterStopIsCancelledAndStopIsIdempotent() async throws {
        let client = CurlClient()
        try client.start()
        await client.stop()
        await client.stop()
        let result = await client.perform(CurlRequest(method: "GET", url: "http://127.0.0.1:1/"))
        #expect(result.failureKind == .cancelled)
    }

    @Test func responseHeadKeepsTheFinalResponse() {
        var head = ResponseHead()
        for line in [
            "HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/1.1 201 Created\r\n", "content-type: text/plain\r\n", "\r\n",
        ] {
            head.consume(Substring(line))
        }
        #expect(head.statusCode == 201)
        #expect(head.value("Content-Type") == "text/plain")
        #expect(ResponseHead.isToken("X-Token") && !ResponseHead.isToken("bad header"))
    }
}

extension Result where Failure == CurlError {
    var failureKind: CurlError.Kind? {
        if case .failure(let error) = self { return error.kind }
        return nil
    }
}
