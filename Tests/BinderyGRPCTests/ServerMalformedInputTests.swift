import DriverTesting
import Foundation
import Testing

@testable import BinderyGRPC

/// Input that breaks HTTP/2 closes that connection only: calls on other connections go on.
@Suite struct ServerMalformedInputTests {
    @Test func aBadPrefaceClosesItsConnectionWhileAnotherIsServed() throws {
        try withGRPCServer { server, target in
            let bad = try ServerRawConnection(port: server.port)
            try bad.send(Array(ServerRawConnection.preface[0..<16]))  // a preface so far
            let results = try grpcCalls(target, "/test.Echo/Echo", count: 50)
            #expect(results.allSatisfy { $0.code == "OK" && $0.echoed })
            try bad.send(Array("GET / HTTP/1.1\r\n\r\n".utf8))  // and then not
            #expect(bad.readUntilClosed() != nil)
            let http1 = try ServerRawConnection(port: server.port)
            try http1.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(http1.readUntilClosed() != nil)
        }
    }

    @Test func anOversizedFrameGetsGoawayFrameSizeError() throws {
        try withGRPCServer { server, target in
            let raw = try ServerRawConnection(port: server.port)
            let oversized = ServerRawConnection.frame(type: 0, stream: 1, length: 1 << 20)
            try raw.send(ServerRawConnection.preface + ServerRawConnection.settings + oversized)
            let received = try #require(raw.readUntilClosed())
            #expect(ServerRawConnection.goawayCode(in: received) == 6)  // FRAME_SIZE_ERROR
            #expect(try grpcCall(target, "/test.Echo/Echo").echoed)
        }
    }

    @Test func garbageFramesGetGoawayAndCloseOnlyTheirConnection() throws {
        try withGRPCServer { server, target in
            // HEADERS on an even (server-initiated) stream: PROTOCOL_ERROR.
            let evenStream = try ServerRawConnection(port: server.port)
            try evenStream.send(
                ServerRawConnection.preface + ServerRawConnection.settings
                    + ServerRawConnection.frame(type: 1, flags: 4, stream: 2, payload: [0x82]))
            // A header block HPACK cannot decode: COMPRESSION_ERROR.
            let badBlock = try ServerRawConnection(port: server.port)
            try badBlock.send(
                ServerRawConnection.preface + ServerRawConnection.settings
                    + ServerRawConnection.frame(type: 1, flags: 5, stream: 1, payload: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF]))
            // Random bytes after the preface.
            let noise = try ServerRawConnection(port: server.port)
            var generator = SystemRandomNumberGenerator()
            try noise.send(
                ServerRawConnection.preface + ServerRawConnection.settings
                    + (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
            #expect(ServerRawConnection.goawayCode(in: try #require(evenStream.readUntilClosed())) == 1)
            #expect(ServerRawConnection.goawayCode(in: try #require(badBlock.readUntilClosed())) == 9)
            #expect(noise.readUntilClosed() != nil)
            let results = try grpcCalls(target, "/test.Echo/Echo", count: 20)
            #expect(results.allSatisfy { $0.code == "OK" && $0.echoed })
        }
    }
}
