import Foundation
import Glibc
import Synchronization
import Testing

@testable import BinderyHTTP
@testable import BinderySystem

/// Timeouts, backpressure and load. Timeouts are configured in milliseconds; tests observe the
/// close (a blocking read returning EOF) instead of sleeping.
@Suite struct HTTPServerTimeoutTests {
    @Test func idleKeepAliveConnectionIsClosed() throws {
        try withServer({ $0.idleTimeout = .milliseconds(100) }) { server in
            let client = try WireClient(port: server.port)
            try client.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            let start = Date()
            #expect(try client.readToEnd().isEmpty)  // closed silently, no 408
            #expect(Date().timeIntervalSince(start) >= 0.08)
        }
    }

    @Test func slowHeadersGet408() throws {
        try withServer({ $0.requestTimeout = .milliseconds(100) }) { server in
            let client = try WireClient(port: server.port)
            try client.send("GET /x HTTP/1.1\r\nHost: x\r\n")  // never finishes
            let text = try client.readToEnd()
            #expect(text.hasPrefix("HTTP/1.1 408 "))
            #expect(text.contains("Connection: close"))
        }
    }

    @Test func slowBodyGets408() throws {
        try withServer({ $0.requestTimeout = .milliseconds(100) }) { server in
            let client = try WireClient(port: server.port)
            try client.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            #expect(try client.readToEnd().hasPrefix("HTTP/1.1 408 "))
        }
    }

    @Test func requestTimerDoesNotRunWhileIdle() throws {
        try withServer({
            $0.requestTimeout = .milliseconds(50)
            $0.idleTimeout = .seconds(5)
        }) { server in
            let client = try WireClient(port: server.port)
            try client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            usleep(150_000)  // three request timeouts, well within the idle timeout
            try client.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().text == "GET /b ")
        }
    }

    @Test func clientThatNeverReadsIsDroppedWithBoundedBuffering() throws {
        let big = [UInt8](repeating: 0x61, count: 1 << 20)
        let served = Atomic<Int>(0)
        try withServer(
            {
                $0.writeTimeout = .milliseconds(200)
                $0.outputHighWater = 64 * 1024
                $0.maxPipelinedRequests = 4
            },
            handler: { _, responder in
                served.add(1, ordering: .relaxed)
                responder.send(HTTPResponse(status: 200, body: big))
            }
        ) { server in
            let client = try WireClient(port: server.port)
            var small: Int32 = 4096
            setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            // Pipeline many requests without reading a byte; the server must stop taking them.
            let requests = String(repeating: "GET /big HTTP/1.1\r\nHost: x\r\n\r\n", count: 200)
            var flags = fcntl(client.fd, F_GETFL)
            flags |= O_NONBLOCK
            _ = fcntl(client.fd, F_SETFL, flags)
            _ = requests.utf8CString.withUnsafeBytes {
                send(client.fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL))
            }
            // The connection is dropped once the write timeout passes without progress.
            let dropped = eventually(timeout: 10) { Self.peerGone(client.fd) }
            #expect(dropped, "served \(served.load(ordering: .relaxed))")
            // Only the pipelining window was handed to the handler, not all 200.
            #expect(served.load(ordering: .relaxed) <= 16, "served \(served.load(ordering: .relaxed))")
        }
    }

    /// True once the server side of `fd` is gone (FIN or RST seen by the kernel).
    private static func peerGone(_ fd: Int32) -> Bool {
        var info = [UInt8](repeating: 0, count: 256)
        var size = socklen_t(256)
        guard getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, &info, &size) == 0 else { return true }
        let state = info[0]  // tcpi_state: 1 = ESTABLISHED
        return state != 1
    }

    @Test func manyConnectionsManyRequestsAreAllAnsweredWithoutMixUps() throws {
        try withServer({ $0.threads = 2 }) { server in
            let failures = Atomic<Int>(0)
            let answered = Atomic<Int>(0)
            let port = server.port
            DispatchQueue.concurrentPerform(iterations: 32) { connectionIndex in
                do {
                    let client = try WireClient(port: port)
                    for requestIndex in 0..<200 {
                        let tag = "\(connectionIndex)-\(requestIndex)"
                        try client.send(
                            "POST /c/\(tag) HTTP/1.1\r\nHost: x\r\nX-Tag: \(tag)\r\nContent-Length: \(tag.utf8.count)\r\n\r\n\(tag)"
                        )
                        let response = try client.readResponse()
                        if response.text == "POST /c/\(tag) \(tag)", response.headers["X-Tag"] == tag {
                            answered.add(1, ordering: .relaxed)
                        } else {
                            failures.add(1, ordering: .relaxed)
                        }
                    }
                } catch {
                    failures.add(1000, ordering: .relaxed)
                }
            }
            #expect(failures.load(ordering: .relaxed) == 0)
            #expect(answered.load(ordering: .relaxed) == 32 * 200)
        }
    }

    @Test func responsesFromManyThreadsAfterTheHandlerReturned() throws {
        let queue = DispatchQueue(label: "late", attributes: .concurrent)
        try withServer(handler: { request, responder in
            queue.asyncAfter(deadline: .now() + .milliseconds(Int.random(in: 0...5))) {
                responder.send(HTTPResponse(status: 200, text: request.path))
            }
        }) { server in
            let client = try WireClient(port: server.port)
            let paths = (0..<50).map { "/p\($0)" }
            try client.send(paths.map { "GET \($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
            for path in paths { #expect(try client.readResponse().text == path) }
        }
    }
}
