import DriverTesting
import Foundation
import Glibc
import Testing

@testable import BinderyHTTP
@testable import BinderySystem

/// A raw, blocking loopback connection: sends exact bytes and reads responses, so tests can
/// send what no well-behaved client would.
final class WireClient {
    let fd: Int32
    private var leftover: [UInt8] = []

    init(port: Int, receiveTimeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            // No close here: deinit runs for a class whose init throws once `fd` is set, and closes it.
            throw TestFailure("connect to \(port): errno \(errno)")
        }
        var timeout = timeval(
            tv_sec: Int(receiveTimeout), tv_usec: Int((receiveTimeout - Double(Int(receiveTimeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestFailure("send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Reads exactly one response (the server's framing decides where it ends).
    func readResponse(method: String = "GET") throws -> HTTPResponse {
        var parser = HTTPResponseParser(requestMethod: method)
        leftover.withUnsafeBytes { parser.append($0) }
        leftover = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let response = try parser.next() {
                leftover = Array(parser.buffer.bytes(0..<parser.buffer.count))
                return response
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return try parser.finishAtEndOfFile() }
            guard n > 0 else { throw TestFailure("recv failed or timed out: errno \(errno)") }
            chunk.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// Reads until the server closes; throws if it does not within the receive timeout.
    func readToEnd() throws -> String {
        var all = leftover
        leftover = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 || (n < 0 && errno == ECONNRESET) { return String(decoding: all, as: UTF8.self) }
            guard n > 0 else {
                throw TestFailure(
                    "connection still open (errno \(errno)); read so far: \(String(decoding: all, as: UTF8.self))")
            }
            all.append(contentsOf: chunk[0..<n])
        }
    }
}

/// Runs `body` with a started server on an ephemeral port, then shuts it down.
func withServer<R>(
    _ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void = echoHandler,
    _ body: (HTTPServer) throws -> R
) throws -> R {
    var configuration = HTTPServerConfiguration()
    configuration.threads = 2
    configure(&configuration)
    let server = try HTTPServer(configuration, handler: handler)
    server.start()
    defer { server.shutdown() }
    return try body(server)
}

/// Answers 200 with "<METHOD> <target> <body>" and the request's X-Tag header echoed.
let echoHandler: @Sendable (HTTPRequest, HTTPResponder) -> Void = { request, responder in
    var headers: HTTPHeaders = ["Content-Type": "text/plain"]
    if let tag = request.headers["X-Tag"] { headers.add("X-Tag", tag) }
    responder.send(
        HTTPResponse(
            status: 200, headers: headers,
            text: "\(request.method) \(request.target) \(String(decoding: request.body, as: UTF8.self))"))
}

/// Polls `condition` every millisecond until it holds or `timeout` passes.
func eventually(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(1000)
    }
    return condition()
}
