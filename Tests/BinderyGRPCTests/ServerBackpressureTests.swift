import DriverTesting
import Foundation
import Testing

@testable import BinderyGRPC

/// A client that sends calls but reads no replies is held back, and dropped once its replies
/// have waited `idleTimeout`; other connections are served meanwhile.
@Suite struct ServerBackpressureTests {
    /// HPACK without Huffman or indexing: POST http /test.Echo/Echo, authority x, gRPC's type.
    static let requestBlock: [UInt8] =
        [0x83, 0x86, 0x04, 15] + Array("/test.Echo/Echo".utf8) + [0x01, 1, UInt8(ascii: "x")]
        + [0x0F, 0x10, 16] + Array("application/grpc".utf8)

    @Test func aClientThatReadsNothingStallsAndIsDroppedWhileOthersAreServed() throws {
        try withGRPCServer({ $0.idleTimeout = .seconds(5) }) { server, target in
            let raw = try ServerRawConnection(port: server.port)
            // Huge receive windows, so flow control does not stop the server: only its own
            // high-water mark can.
            let settings = ServerRawConnection.frame(type: 4, stream: 0, payload: [0, 4, 0x7F, 0xFF, 0xFF, 0xFF])
            let window = ServerRawConnection.frame(type: 8, stream: 0, payload: [0x7F, 0xFF, 0x00, 0x00])
            try raw.send(ServerRawConnection.preface + settings + window)
            let message = GRPCFraming.frame([UInt8](repeating: 0x5A, count: 16_000))
            var sent = 0
            var stall: (any Error)?
            while sent < 4000, stall == nil {
                let stream = UInt32(2 * sent + 1)
                let call =
                    ServerRawConnection.frame(type: 1, flags: 4, stream: stream, payload: Self.requestBlock)
                    + ServerRawConnection.frame(type: 0, flags: 1, stream: stream, payload: message)
                do { try raw.send(call) } catch { stall = error }
                sent += 1
            }
            // The server stopped reading (a send waited 2 s) long before 64 MB of calls were in; on
            // a loaded machine its idle timer may drop the connection before the 2 s are up.
            let how = "\(stall.map { "\($0)" } ?? "")"
            #expect(how.contains("send stalled") || how.contains("closed the connection"), "\(how)")
            #expect(sent < 4000, "all \(sent) calls were taken in")
            let results = try grpcCalls(target, "/test.Echo/Echo", count: 20)
            #expect(results.allSatisfy { $0.code == "OK" && $0.echoed })
            #expect(raw.readUntilClosed(timeout: 10) != nil, "the stalled connection was never dropped")
        }
    }
}
