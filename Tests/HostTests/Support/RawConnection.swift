import DriverTesting
import Foundation
import Glibc

/// A blocking loopback TCP connection that sends exact bytes: for tests that hold connections
/// open, send malformed requests, or must not share URLSession's pooled connections.
final class RawConnection {
    let fd: Int32
    private var received: [UInt8] = []

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds.
    init(port: Int, timeout: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        let connected = withLoopbackSocketAddress(port) { connect(fd, $0, $1) == 0 }
        guard connected else {
            // No close here: a class whose init throws once every property is set is deinitialised,
            // and deinit closes `fd` (closing it here too closed whatever another test had opened
            // under the same number in between).
            throw TestFailure("connect to \(port): errno \(errno)")
        }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestFailure("send: errno \(errno)") }
            offset += n
        }
    }

    /// Reads one response framed by Content-Length (every answer bindery writes has one) and
    /// returns its head and body as text.
    func readResponse() throws -> String {
        while true {
            if let end = headEnd() {
                let head = String(decoding: received[..<end], as: UTF8.self)
                let length =
                    head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if received.count >= end + length {
                    let response = String(decoding: received[..<(end + length)], as: UTF8.self)
                    received.removeFirst(end + length)
                    return response
                }
            }
            guard try receive() else { throw TestFailure("connection closed mid-response") }
        }
    }

    /// Reads until the server closes the connection.
    func readToEnd() throws -> String {
        while try receive() {}
        defer { received = [] }
        return String(decoding: received, as: UTF8.self)
    }

    /// One recv: false at end of file (or a reset); throws on timeout.
    private func receive() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 || (n < 0 && errno == ECONNRESET) { return false }
        guard n > 0 else { throw TestFailure("recv: errno \(errno) (timed out?)") }
        received.append(contentsOf: chunk[..<n])
        return true
    }

    private func headEnd() -> Int? {
        guard received.count >= 4 else { return nil }
        for i in 0...(received.count - 4)
        where received[i] == 13 && received[i + 1] == 10 && received[i + 2] == 13 && received[i + 3] == 10 {
            return i + 4
        }
        return nil
    }
}

private func withLoopbackSocketAddress<R>(_ port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}
