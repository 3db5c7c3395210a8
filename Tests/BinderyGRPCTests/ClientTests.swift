import BinderyGRPC
import DriverTesting
import Foundation
import Synchronization
import Testing

/// GRPCClient against a real gRPC server (Python grpcio), over TCP and a Unix socket.
@Suite struct ClientTests {
    @Test(arguments: ClientPeer.Transport.allCases)
    func unaryCallsEchoAndCarryMetadata(_ transport: ClientPeer.Transport) async throws {
        let peer = try await ClientPeer.start(transport)
        let client = try GRPCClient(target: peer.target)
        defer { client.close() }
        let echoed = try await onDedicatedThread { client.call(method: "Echo", "héllo") }
        #expect(echoed.status == .ok)
        #expect(echoed.text == "héllo")
        let empty = try await onDedicatedThread { client.call("/test.Peer/Echo", message: []) }
        #expect(empty.status == .ok && empty.message == [])

        let metadata = GRPCMetadata([("x-Custom", "one"), ("x-token-bin", "raw\u{1}bytes")])
        let result = try await onDedicatedThread { client.call(method: "Metadata", "", metadata: metadata) }
        #expect(result.status == .ok)
        #expect(result.text == "x-custom=one\nx-token-bin=raw\u{1}bytes")
        #expect(result.headers["echo-x-custom"] == "one")
        #expect(result.trailers["trail-x-custom"] == "one")
        #expect(result.trailers["trail-x-token-bin"] == "raw\u{1}bytes")
    }

    @Test(arguments: ClientPeer.Transport.allCases)
    func errorStatusesArriveWithTheirMessages(_ transport: ClientPeer.Transport) async throws {
        let peer = try await ClientPeer.start(transport)
        let client = try GRPCClient(target: peer.target)
        defer { client.close() }
        let failed = try await onDedicatedThread { client.call(method: "Fail", "9:naïve précondition ✗ 100%") }
        #expect(failed.status == GRPCStatus(.failedPrecondition, "naïve précondition ✗ 100%"))
        #expect(failed.message == nil)
        #expect(failed.status.description == "rpc error: code = FailedPrecondition desc = naïve précondition ✗ 100%")
        let unknown = try await onDedicatedThread { client.call(method: "NoSuchMethod", "") }
        #expect(unknown.status.code == .unimplemented)
        let oneOff = try await onDedicatedThread { client.call(method: "Echo", "still fine") }
        #expect(oneOff.text == "still fine")
    }

    @Test(arguments: ClientPeer.Transport.allCases)
    func concurrentCallsShareOneConnection(_ transport: ClientPeer.Transport) async throws {
        let peer = try await ClientPeer.start(transport)
        let client = try GRPCClient(target: peer.target)
        defer { client.close() }
        let all = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for index in 0..<64 {
                group.addTask {
                    let result = try await onDedicatedThread { client.call(method: "Echo", "call \(index)") }
                    return (index, result.status.isOK ? result.text : "\(result.status)")
                }
            }
            var all: [Int: String?] = [:]
            for try await (index, text) in group { all[index] = text }
            return all
        }
        #expect(all.count == 64)
        #expect(all.allSatisfy { $0.value == "call \($0.key)" })
    }

    @Test func theServersStreamLimitIsRespected() async throws {
        let peer = try await ClientPeer.start(maxConcurrentStreams: 2)
        let client = try GRPCClient(target: peer.target)
        defer { client.close() }
        _ = try await onDedicatedThread { client.call(method: "Echo", "settings first") }
        let started = ContinuousClock.now
        let all = try await withThrowingTaskGroup(of: GRPCClientResult.self) { group in
            for _ in 0..<6 {
                group.addTask { try await onDedicatedThread { client.call(method: "Concurrency", "") } }
            }
            var all: [GRPCClientResult] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(
            all.allSatisfy { $0.status.isOK },
            "statuses: \(all.map { "\($0.status)" }); the peer's log:\n\(peer.server.log)")
        #expect(all.compactMap { $0.text.flatMap(Int.init) }.max() == 2)
        #expect(seconds(since: started) >= 0.85)  // three rounds of two 300 ms calls
    }

    @Test(arguments: ClientPeer.Transport.allCases)
    func aTimeoutEndsTheCallDeadlineExceeded(_ transport: ClientPeer.Transport) async throws {
        let peer = try await ClientPeer.start(transport)
        let client = try GRPCClient(target: peer.target)
        defer { client.close() }
        let started = ContinuousClock.now
        let slow = try await onDedicatedThread { client.call(method: "Sleep", "20000", timeout: .milliseconds(200)) }
        // Our timer or the server's (grpc-timeout) ends it, whichever fires first: long before the
        // 20 s the handler sleeps, however loaded the machine.
        #expect(slow.status.code == .deadlineExceeded)
        #expect(seconds(since: started) < 10)
        let quick = try await onDedicatedThread { client.call(method: "Sleep", "10", timeout: .seconds(5)) }
        #expect(quick.text == "slept")
    }

    @Test func aResponseOverTheLimitIsResourceExhausted() async throws {
        let peer = try await ClientPeer.start()
        var configuration = GRPCClientConfiguration()
        configuration.maxMessageBytes = 1000
        let client = try GRPCClient(target: peer.target, configuration: configuration)
        defer { client.close() }
        let big = try await onDedicatedThread { client.call(method: "Big", "5000") }
        #expect(big.status == GRPCStatus(.resourceExhausted, "grpc: received message larger than max (5000 vs. 1000)"))
        let fits = try await onDedicatedThread { client.call(method: "Big", "1000") }
        #expect(fits.message?.count == 1000)
    }

    @Test func aRefusedConnectionIsUnavailable() async throws {
        let client = try GRPCClient(target: .tcp(host: "127.0.0.1", port: try freePort()))
        defer { client.close() }
        let result = try await onDedicatedThread { client.call(method: "Echo", "") }
        #expect(result.status.code == .unavailable)
        #expect(result.status.message.hasSuffix("connect: connection refused\""))
        let socket = try GRPCClient(target: .unix(path: "\(try temporaryDirectory("grpc"))/missing.sock"))
        defer { socket.close() }
        let missing = try await onDedicatedThread { socket.call(method: "Echo", "") }
        #expect(missing.status.code == .unavailable)
        #expect(missing.status.message.hasSuffix("missing.sock: connect: no such file or directory\""))
    }

    @Test func theClientReconnectsAfterTheServerRestarts() async throws {
        let peer = try await ClientPeer.start()
        let client = try GRPCClient(target: peer.target)
        defer { client.close() }
        #expect(try await onDedicatedThread { client.call(method: "Echo", "before") }.text == "before")
        peer.server.stop(signal: SIGKILL)
        let down = try await onDedicatedThread { client.call(method: "Echo", "down") }
        #expect(down.status.code == .unavailable)
        try await peer.server.start()
        #expect(try await onDedicatedThread { client.call(method: "Echo", "after") }.text == "after")
    }

    @Test func callsInFlightFinishWhenTheServerGoesAway() async throws {
        let peer = try await ClientPeer.start()
        let client = try GRPCClient(target: peer.target)
        defer { client.close() }
        let slow = Mutex<GRPCClientResult?>(nil)
        client.call("/test.Peer/Sleep", message: Array("400".utf8)) { result in slow.withLock { $0 = result } }
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await onDedicatedThread { client.call(method: "Shutdown", "3000") }.text == "stopping")
        try await eventually("the slow call to finish") { slow.withLock { $0 != nil } }
        #expect(slow.withLock { $0?.text } == "slept")
        try await eventually("new calls to fail") {
            try await onDedicatedThread { client.call(method: "Echo", "") }.status.code == .unavailable
        }
    }

    @Test func callsAfterCloseAreCancelled() async throws {
        let peer = try await ClientPeer.start()
        let client = try GRPCClient(target: peer.target)
        let slow = Mutex<GRPCClientResult?>(nil)
        client.call("/test.Peer/Sleep", message: Array("3000".utf8)) { result in slow.withLock { $0 = result } }
        try await Task.sleep(for: .milliseconds(100))
        client.close()
        #expect(slow.withLock { $0?.status.code } == .cancelled)
        let late = try await onDedicatedThread { client.call(method: "Echo", "") }
        #expect(late.status == GRPCStatus(.cancelled, "grpc: the client connection is closing"))
    }
}
