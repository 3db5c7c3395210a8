import BinderySystem
import DriverTesting
import Foundation
import Testing

@Suite struct UnixSocketTests {
    @Test func bytesCrossAConnectedPairAndAStaleSocketIsReplaced() throws {
        let folder = try temporaryDirectory("unix")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/api.sock"
        let stale = try UnixSocket.listen(path: path, backlog: 8)
        Socket.close(stale)  // leaves the socket file behind, as a crashed process would
        let listener = try UnixSocket.listen(path: path, backlog: 8)
        defer { Socket.close(listener) }
        let client = try UnixSocket.connect(path: path)
        defer { Socket.close(client) }
        #expect(Socket.wait(listener, forWriting: false, timeoutMilliseconds: 2000))
        let accepted = try #require(Socket.accept(listener)).get()
        defer { Socket.close(accepted) }
        let sent = Array("ping".utf8)
        #expect(sent.withUnsafeBytes { Socket.write(client, $0) } == .bytes(4))
        #expect(Socket.wait(accepted, forWriting: false, timeoutMilliseconds: 2000))
        var received = [UInt8](repeating: 0, count: 16)
        let outcome = received.withUnsafeMutableBytes { Socket.read(accepted, into: $0) }
        #expect(outcome == .bytes(4))
        #expect(Array(received[0..<4]) == sent)
    }

    @Test func aPathThatIsNotASocketIsNeverRemoved() throws {
        let folder = try temporaryDirectory("unix")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/file"
        FileManager.default.createFile(atPath: path, contents: Data("keep".utf8))
        #expect(throws: SocketError.self) { try UnixSocket.listen(path: path, backlog: 8) }
        #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8))
    }

    @Test func connectingWhereNothingListensFails() throws {
        let folder = try temporaryDirectory("unix")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: SocketError.self) { try UnixSocket.connect(path: "\(folder)/none.sock") }
        let long = String(repeating: "x", count: UnixSocket.maxPathBytes + 1)
        #expect(throws: SocketError.self) { try UnixSocket.listen(path: long, backlog: 1) }
    }
}
