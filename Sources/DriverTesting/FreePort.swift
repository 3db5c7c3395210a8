import Foundation
import Synchronization

/// Ports already handed out in this process: tests run in parallel, and two that each found a
/// port free before either bound it would share it (one server's readiness check would then be
/// answered by the other's).
private let handedOut = Mutex<Set<Int>>([])

/// A loopback TCP port nothing listens on now, below Linux's ephemeral range (32768–60999): a
/// port the kernel picked for someone else's `bind(0)` or outgoing connection (a test server
/// running in parallel, say) could otherwise be handed to a test between this check and its use.
/// No port is handed out twice in one process.
public func freePort() throws -> Int {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<200 {
        let port = Int.random(in: 20000..<32000, using: &generator)
        guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
        if withLoopbackSocket(port, { fd, address, length in bind(fd, address, length) == 0 }) { return port }
    }
    throw TestFailure("no free loopback port between 20000 and 32000 after 200 tries")
}

/// True when something accepts TCP connections on 127.0.0.1:`port`.
public func isListening(port: Int) -> Bool {
    withLoopbackSocket(port) { fd, address, length in connect(fd, address, length) == 0 }
}

/// Runs `body` with a fresh TCP socket and the address 127.0.0.1:`port`; closes the socket after.
public func withLoopbackSocket<R>(_ port: Int, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}

/// The port a child process announces as the first line of `output` (a test server that binds
/// port 0 and prints what it got); throws naming `program` if it exits or prints something else.
public func announcedPort(on output: Pipe, by program: String) throws -> Int {
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
        let chunk = output.fileHandleForReading.availableData
        guard !chunk.isEmpty else { throw TestFailure("\(program) exited before printing its port") }
        line.append(chunk)
    }
    let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard let port = Int(text), (1...65535).contains(port) else {
        throw TestFailure("\(program) printed \"\(text)\", not a port")
    }
    return port
}
