import BinderySystem
import Glibc

/// One client connection (a non-blocking socket driven with poll, so every step honours the
/// request deadline). Used by one thread at a time: taken from the pool, used, put back.
///
/// `@unchecked Sendable`: it moves between threads only through the pool's Mutex, and a thread
/// that took it out is its only user until it is put back or closed.
package final class HTTPClientConnection: @unchecked Sendable {
    /// A failed exchange, and whether the server closed before sending any response byte.
    package struct Failure: Error {
        package let error: HTTPClientError
        let nothingReceived: Bool
    }

    package let fd: Int32
    var idleSince: UInt64 = 0
    private var closed = false

    private init(fd: Int32) { self.fd = fd }

    package static func open(host: String, port: Int, timeout: UInt64?, target: String) throws(HTTPClientError)
        -> HTTPClientConnection
    {
        do {
            let fd = try Socket.connect(host: host, port: port, timeoutMilliseconds: milliseconds(timeout))
            return HTTPClientConnection(fd: fd)
        } catch {
            let code: HTTPClientError.Code
            switch error.errno {
            case ECONNREFUSED: code = .refused
            case ETIMEDOUT: code = .timeout
            case EHOSTUNREACH where error.call.hasPrefix("getaddrinfo"): code = .unresolved
            default: code = .io
            }
            let reason =
                code == .refused
                ? "connection refused (is the app listening?)"
                : code == .timeout ? "connect timed out" : "cannot connect: \(error)"
            throw HTTPClientError(code: code, target: target, reason: reason)
        }
    }

    package func close() {
        guard !closed else { return }
        closed = true
        Socket.close(fd)
    }

    /// Writes `wire` and reads one response; also says whether the connection may be reused.
    package func exchange(
        _ wire: [UInt8], method: String, deadline: UInt64?, limits: HTTPClientConfiguration, target: String
    ) throws(Failure) -> (HTTPResponse, Bool) {
        func fail(_ code: HTTPClientError.Code, _ reason: String, nothingReceived: Bool = false) -> Failure {
            Failure(
                error: HTTPClientError(code: code, target: target, reason: reason), nothingReceived: nothingReceived)
        }
        var offset = 0
        while offset < wire.count {
            switch wire[offset...].withUnsafeBytes({ Socket.write(fd, $0) }) {
            case .bytes(let n): offset += n
            case .wouldBlock, .endOfFile:
                guard Socket.wait(fd, forWriting: true, timeoutMilliseconds: try remaining(deadline, fail)) else {
                    throw fail(.timeout, "request timed out while sending")
                }
            case .failed(let e): throw fail(.reset, "connection lost while sending (errno \(e))", nothingReceived: true)
            }
        }
        var parser = HTTPResponseParser(
            requestMethod: method, maxHeaderBytes: limits.maxResponseHeaderBytes,
            maxBodyBytes: limits.maxResponseBodyBytes)
        var received = false
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let result = buffer.withUnsafeMutableBytes { Socket.read(fd, into: $0) }
            do {
                switch result {
                case .bytes(let n):
                    received = true
                    buffer.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                    if let response = try parser.next() {
                        return (response, parser.buffer.isEmpty && Self.keepsAlive(parser.head, response))
                    }
                case .wouldBlock:
                    guard Socket.wait(fd, forWriting: false, timeoutMilliseconds: try remaining(deadline, fail)) else {
                        throw fail(.timeout, "no complete response before the request timeout")
                    }
                case .endOfFile:
                    guard received else {
                        throw fail(.reset, "connection closed before any response", nothingReceived: true)
                    }
                    return (try parser.finishAtEndOfFile(), false)
                case .failed(let e):
                    throw fail(.reset, "connection reset (errno \(e))", nothingReceived: !received)
                }
            } catch let error as HTTPParseError {
                throw fail(.malformedResponse, "malformed response: \(error.reason)")
            } catch let error as Failure {
                throw error
            } catch {
                throw fail(.io, "\(error)")
            }
        }
    }

    private static func keepsAlive(_ head: HTTPResponseParser.Head?, _ response: HTTPResponse) -> Bool {
        guard let head else { return false }
        switch head.version {
        case .http11: return !response.headers.hasToken("close", in: "Connection")
        case .http10: return response.headers.hasToken("keep-alive", in: "Connection")
        }
    }

    /// Milliseconds left before `deadline` (-1 = none); throws a timeout when none are left.
    private func remaining(_ deadline: UInt64?, _ fail: (HTTPClientError.Code, String, Bool) -> Failure) throws(Failure)
        -> Int32
    {
        guard let deadline else { return -1 }
        let now = MonotonicClock.nanoseconds()
        guard deadline > now else { throw fail(.timeout, "request timed out", false) }
        return Self.milliseconds(deadline - now)
    }

    package static func milliseconds(_ nanoseconds: UInt64?) -> Int32 {
        guard let nanoseconds else { return -1 }
        return Int32(min((nanoseconds + 999_999) / 1_000_000, UInt64(Int32.max)))
    }
}
