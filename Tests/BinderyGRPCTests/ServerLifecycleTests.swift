import BinderySystem
import DriverTesting
import Foundation
import Synchronization
import Testing

@testable import BinderyGRPC

@Suite struct ServerLifecycleTests {
    /// Runs `body` on its own thread; the returned function waits for its result.
    func inBackground<R: Sendable>(_ body: @escaping @Sendable () throws -> R) -> () throws -> R {
        let outcome = Mutex<Result<R, any Error>?>(nil)
        let thread = try? HostThread.start("test-client", joinable: true) {
            let result = Result { try body() }
            outcome.withLock { $0 = result }
        }.get()
        return {
            if let thread { HostThread.join(thread) }
            return try outcome.withLock { $0 }!.get()
        }
    }

    @Test func shutdownLetsCallsInFlightFinish() throws {
        let arrived = Atomic<Int>(0)
        let handler: @Sendable (GRPCRequest, GRPCResponder) -> Void = { request, responder in
            if request.method == "Slow" { arrived.add(1, ordering: .relaxed) }
            echoHandler(request, responder)
        }
        let server = try GRPCServer(GRPCServerConfiguration(threads: 2), handler: handler)
        server.start()
        let target = "127.0.0.1:\(server.port)"
        let calls = inBackground { try grpcCalls(target, "/test.Echo/Slow", count: 10) }
        let deadline = Date().addingTimeInterval(10)
        while arrived.load(ordering: .relaxed) < 10, Date() < deadline { usleep(1000) }
        let started = Date()
        server.shutdown()
        let took = Date().timeIntervalSince(started)
        let results = try calls()
        #expect(results.allSatisfy { $0.code == "OK" && $0.echoed })
        #expect(took < 3, "shutdown took \(took) s")
        #expect(try grpcCall(target, "/test.Echo/Echo").code == "UNAVAILABLE")
        server.shutdown()  // idempotent
    }

    @Test func shutdownClosesCallsStillOpenAtItsTimeout() throws {
        let configuration = GRPCServerConfiguration(threads: 1, shutdownTimeout: .milliseconds(300))
        let arrived = Atomic<Int>(0)
        let server = try GRPCServer(configuration) { _, _ in arrived.add(1, ordering: .relaxed) }  // never answers
        server.start()
        let target = "127.0.0.1:\(server.port)"
        let calls = inBackground { try grpcCalls(target, "/test.Echo/Never", count: 3) }
        let deadline = Date().addingTimeInterval(10)
        while arrived.load(ordering: .relaxed) < 3, Date() < deadline { usleep(1000) }
        let started = Date()
        server.shutdown()
        let took = Date().timeIntervalSince(started)
        #expect(took >= 0.25 && took < 2, "shutdown took \(took) s")
        #expect(try calls().allSatisfy { $0.code == "UNAVAILABLE" })
    }

    @Test func anIdleConnectionIsSentGoawayAndClosed() throws {
        try withGRPCServer({ $0.idleTimeout = .milliseconds(200) }) { server, _ in
            let raw = try ServerRawConnection(port: server.port)
            try raw.send(ServerRawConnection.preface + ServerRawConnection.settings)
            let started = Date()
            let received = try #require(raw.readUntilClosed(timeout: 3))
            #expect(ServerRawConnection.goawayCode(in: received) == 0)
            #expect(Date().timeIntervalSince(started) >= 0.15)
        }
    }

    /// A client's keepalive PING is acknowledged with the same 8 bytes (RFC 9113 6.7).
    @Test func aKeepalivePingIsAnswered() throws {
        try withGRPCServer({ $0.idleTimeout = .milliseconds(300) }) { server, _ in
            let raw = try ServerRawConnection(port: server.port)
            let payload = Array("bindery!".utf8)
            try raw.send(
                ServerRawConnection.preface + ServerRawConnection.settings
                    + ServerRawConnection.frame(type: 6, stream: 0, payload: payload))
            let received = try #require(raw.readUntilClosed(timeout: 3))
            var acked = false
            var offset = 0
            while offset + 9 <= received.count {
                let length = Int(received[offset]) << 16 | Int(received[offset + 1]) << 8 | Int(received[offset + 2])
                if received[offset + 3] == 6, received[offset + 4] & 1 == 1, offset + 9 + length <= received.count {
                    acked = acked || Array(received[(offset + 9)..<(offset + 9 + length)]) == payload
                }
                offset += 9 + length
            }
            #expect(acked, "no PING ACK with our payload in \(received.count) bytes")
        }
    }

    @Test func aCancelledCallsLateReplyIsDroppedAndTheChannelGoesOn() throws {
        try withGRPCServer { _, target in
            let results = try grpcCalls(
                target, "/test.Echo/Slow", count: 5, extra: ["--cancel-after", "0.2", "--then-echo-after", "0.8"])
            #expect(results.count == 6)
            #expect(results.prefix(5).allSatisfy { $0.code == "CANCELLED" })
            #expect(results.last?.code == "OK")
            #expect(results.last?.echoed == true)
        }
    }

    @Test func pastTheConnectionLimitNewConnectionsAreClosed() throws {
        try withGRPCServer({ $0.maxConnections = 1 }) { server, target in
            var holder: ServerRawConnection? = try ServerRawConnection(port: server.port)
            try holder?.send(ServerRawConnection.preface + ServerRawConnection.settings)
            let refused = try ServerRawConnection(port: server.port)
            #expect(refused.readUntilClosed() != nil)
            holder = nil
            var result = try grpcCall(target, "/test.Echo/Echo")
            let deadline = Date().addingTimeInterval(5)
            while result.code != "OK", Date() < deadline { result = try grpcCall(target, "/test.Echo/Echo") }
            #expect(result.code == "OK")
        }
    }
}
