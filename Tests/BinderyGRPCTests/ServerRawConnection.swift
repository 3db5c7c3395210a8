import BinderySystem
import DriverTesting
import Foundation
import Glibc

/// A TCP connection that speaks raw bytes to the server: for input no real client sends.
final class ServerRawConnection {
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    /// An empty SETTINGS frame.
    static let settings: [UInt8] = [0, 0, 0, 4, 0, 0, 0, 0, 0]

    let fd: Int32

    init(port: Int) throws {
        fd = try Socket.connect(host: "127.0.0.1", port: port, timeoutMilliseconds: 2000)
    }

    deinit { Socket.close(fd) }

    /// A frame header and payload.
    static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32, length: Int? = nil, payload: [UInt8] = [])
        -> [UInt8]
    {
        let size = length ?? payload.count
        return [UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF), type, flags]
            + [UInt8(stream >> 24 & 0x7F), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)]
            + payload
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            guard Socket.wait(fd, forWriting: true, timeoutMilliseconds: 2000) else {
                throw TestFailure("send stalled")
            }
            switch bytes[offset...].withUnsafeBytes({ Socket.write(fd, $0) }) {
            case .bytes(let n): offset += n
            case .wouldBlock: continue
            case .endOfFile, .failed: throw TestFailure("the server closed the connection while we sent")
            }
        }
    }

    /// Everything the server sends until it closes the connection; nil if it has not closed it
    /// within `timeout` seconds.
    func readUntilClosed(timeout: Double = 3) -> [UInt8]? {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while Date() < deadline {
            guard Socket.wait(fd, forWriting: false, timeoutMilliseconds: 50) else { continue }
            switch buffer.withUnsafeMutableBytes({ Socket.read(fd, into: $0) }) {
            case .bytes(let n): received += buffer[0..<n]
            case .wouldBlock: continue
            case .endOfFile, .failed: return received
            }
        }
        return nil
    }

    /// The error code of the first GOAWAY frame in `bytes`, if there is one.
    static func goawayCode(in bytes: [UInt8]) -> UInt32? {
        var offset = 0
        while offset + 9 <= bytes.count {
            let length = Int(bytes[offset]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
            if bytes[offset + 3] == 7, offset + 9 + 8 <= bytes.count {
                let code = bytes[(offset + 13)..<(offset + 17)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                return code
            }
            offset += 9 + length
        }
        return nil
    }
}
