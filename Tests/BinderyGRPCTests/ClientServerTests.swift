import BinderyGRPC
import BinderySystem
import DriverTesting
import Glibc
import Synchronization
import Testing

/// GRPCClient against bindery's own GRPCServer: the two ends of BinderyGRPC speak to each other.
@Suite struct ClientServerTests {
    /// Calls the handler has received.
    private final class Counter: Sendable {
        let calls = Atomic<Int>(0)
    }

    /// Echoes the message and metadata back; "sleep" answers after 300 ms from another thread.
    private static func handler(_ request: GRPCRequest, _ responder: GRPCResponder) {
        var trailers = GRPCMetadata()
        for (name, value) in request.metadata where name.hasPrefix("x-") { trailers.add(name, value) }
        let reply = GRPCReply(message: request.message, trailers: trailers)
        guard request.method == "Sleep" else { return responder.send(reply) }
        HostThread.start("sleeper") {
            usleep(300_000)
            responder.send(reply)
        }
    }

    @Test func callsRoundTripOverAUnixSocketWithinTheStreamLimit() async throws {
        let directory = try temporaryDirectory("grpc-self")
        let server = try GRPCServer(
            GRPCServerConfiguration(unixSocketPath: "\(directory)/s.sock", maxConcurrentStreams: 4),
            handler: Self.handler)
        server.start()
        defer { server.shutdown() }
        let client = try GRPCClient(target: .unix(path: "\(directory)/s.sock"))
        defer { client.close() }
        let metadata = GRPCMetadata([("x-key-bin", "b\u{0}ytes"), ("x-plain", "p")])
        let echoed = try await onDedicatedThread {
            client.call("/t.S/Echo", metadata: metadata, message: [1, 2, 3])
        }
        #expect(echoed.status == .ok && echoed.message == [1, 2, 3])
        #expect(echoed.trailers["x-key-bin"] == "b\u{0}ytes")
        let started = ContinuousClock.now
        let all = try await withThrowingTaskGroup(of: GRPCClientResult.self) { group in
            for index in 0..<8 {
                group.addTask { try await onDedicatedThread { client.call("/t.S/Sleep", message: [UInt8(index)]) } }
            }
            var all: [GRPCClientResult] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(all.allSatisfy { $0.status.isOK })
        #expect(Set(all.compactMap { $0.message?.first }) == Set(0..<8))
        #expect(seconds(since: started) >= 0.55)  // 8 calls, 4 at a time, 300 ms each
    }

    @Test func aCallInFlightFinishesWhenTheServerShutsDown() async throws {
        let counter = Counter()
        let server = try GRPCServer(GRPCServerConfiguration()) { request, responder in
            counter.calls.add(1, ordering: .relaxed)
            Self.handler(request, responder)
        }
        server.start()
        let client = try GRPCClient(target: .tcp(host: "127.0.0.1", port: server.port))
        defer { client.close() }
        let slow = Mutex<GRPCClientResult?>(nil)
        client.call("/t.S/Sleep", message: [9]) { result in slow.withLock { $0 = result } }
        try await eventually("the call to reach the handler") { counter.calls.load(ordering: .relaxed) == 1 }
        try await onDedicatedThread { server.shutdown() }
        #expect(slow.withLock { $0?.message } == [9])
        let after = try await onDedicatedThread { client.call("/t.S/Echo", message: []) }
        #expect(after.status.code == .unavailable)
    }
}

extension ClientServerTests {
    /// 5000 calls through 100 streams, one in ten with a deadline that has passed already.
    @Test(
        .disabled(
            "the server crashes now and then under this load: GRPCEventLoop.expireConnections computes now - idleSince with idleSince later than now (UInt64 underflow); enable once fixed"
        ))
    func thousandsOfCallsInFlightAllFinishOnce() async throws {
        let server = try GRPCServer(GRPCServerConfiguration(maxConcurrentStreams: 100), handler: Self.handler)
        server.start()
        defer { server.shutdown() }
        let client = try GRPCClient(target: .tcp(host: "127.0.0.1", port: server.port))
        defer { client.close() }
        let finished = Atomic<Int>(0)
        let wrong = Atomic<Int>(0)
        let started = ContinuousClock.now
        for index in 0..<5000 {
            let message = withUnsafeBytes(of: UInt32(index).bigEndian) { Array($0) }
            let timeout: Duration? = index % 10 == 0 ? .nanoseconds(1) : nil
            client.call("/t.S/Echo", message: message, timeout: timeout) { result in
                let expected = timeout == nil ? result.message == message : result.status.code == .deadlineExceeded
                if !expected { wrong.add(1, ordering: .relaxed) }
                finished.add(1, ordering: .relaxed)
            }
        }
        try await eventually("5000 calls to finish", timeout: .seconds(60)) {
            finished.load(ordering: .relaxed) == 5000
        }
        #expect(seconds(since: started) < 30)
        #expect(wrong.load(ordering: .relaxed) == 0)
    }
}
