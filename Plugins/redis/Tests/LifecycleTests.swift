import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import RedisDriver

/// Start, stop, a server that goes away and comes back, timeouts.
@Suite struct LifecycleTests {
    let server: ServerProcess

    init() async throws { server = try await ServerProcess.redis() }

    @Test func startFailsFastNamingTheAddressWhenTheServerIsDown() async throws {
        let address = server.address
        server.stop()
        let driver = try makeDriver(["redisHost": address])
        let error = await driverError { try await driver.start() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.hasPrefix("cannot connect to redis at \(address): ") == true)
        #expect(error?.message.contains("Connection refused") == true, "\(String(describing: error))")
        await driver.stop()
    }

    @Test func requestsFailFastWhileTheServerIsDownAndSucceedOnceItIsBack() async throws {
        try await withDriver(["redisHost": server.address]) { driver async throws in
            _ = try await driver.call("create", "before", data: "1")
            server.stop()
            // Every request fails with the cause instead of hanging (the test would hang).
            for attempt in 0..<20 {
                let error = await driverError { _ = try await driver.call("create", "during\(attempt)", data: "x") }
                #expect(error?.code == .unavailable)
                #expect(error?.message.contains("redis at \(server.address)") == true)
                #expect(error?.isRetryable == true)
            }
            let last = await driverError { _ = try await driver.call("get", "before") }
            #expect(last?.message.contains("is unavailable") == true)
            #expect(last?.message.contains("reconnecting in the background") == true)

            server.stop(signal: SIGKILL)
            try await server.start()
            try await eventually("the driver to reconnect") {
                await driverError { _ = try await driver.call("create", "after", data: "2") } == nil
            }
            #expect(try server.redisCLI("GET", "after") == "2")
            // Both connections of the pool come back.
            for index in 0..<10 { #expect(try await driver.call("increment", "n\(index)") == nil) }
        }
    }

    @Test func dialTimeoutBoundsAServerThatAcceptsButNeverAnswers() async throws {
        server.freeze(true)
        defer { server.freeze(false) }
        // The kernel still completes the TCP handshake for a frozen server; PING gets no reply.
        let driver = try makeDriver(["redisHost": server.address, "dialTimeout": "200ms"])
        let error = await driverError { try await driver.start() }
        #expect(error?.message == "cannot connect to redis at \(server.address): no answer within dialTimeout (200ms)")
    }

    @Test func aKilledConnectionIsRedialledWithoutARestart() async throws {
        try await withDriver(["redisHost": server.address, "poolSize": "1"]) { driver async throws in
            _ = try await driver.call("create", "k", data: "v")
            try server.redisCLI("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
            // The connection is gone; the driver re-dials (8 ms backoff) and the GET succeeds
            // or fails fast while it does; it never hangs.
            try await eventually("a GET after the re-dial") {
                (try? await driver.call("get", "k"))?.data == Array("v".utf8)
            }
        }
    }

    @Test func readTimeoutDropsAFrozenServerAndRecoversWhenItThaws() async throws {
        try await withDriver(["redisHost": server.address, "readTimeout": "200ms", "dialTimeout": "300ms"]) {
            driver async throws in
            server.freeze(true)
            defer { server.freeze(false) }
            let error = await driverError { _ = try await driver.call("increment", "slow") }
            #expect(error?.code == .unavailable)
            #expect(
                error?.message.contains("no reply within readTimeout (200ms)") == true, "\(String(describing: error))")
            server.freeze(false)
            try await eventually("a reply after the thaw") { (try? await driver.call("get", "slow")) != nil }
        }
    }

    @Test func stopCompletesEveryRequestInFlightPromptly() async throws {
        let driver = try await makeDriver(["redisHost": server.address, "readTimeout": "-1"]).started()
        server.freeze(true)
        defer { server.freeze(false) }
        let count = 200
        let entered = Counter()
        let results = Task {
            await withTaskGroup(of: DriverError?.self) { group in
                for index in 0..<count {
                    group.addTask {
                        entered.increment()
                        return await driverError { _ = try await driver.call("create", "s\(index)", data: "x") }
                    }
                }
                return await group.reduce(into: [DriverError?]()) { $0.append($1) }
            }
        }
        try await eventually("every call to enter the driver") { entered.value == count }
        await driver.stop()
        let errors = await results.value
        #expect(errors.count == count)
        #expect(errors.allSatisfy { $0?.code == .cancelled })
        #expect(errors.first??.message == "bindings.redis: request cancelled: the component is stopping")
    }

    @Test func invokeAfterStopIsCancelledAndStopIsIdempotent() async throws {
        let driver = try await makeDriver(["redisHost": server.address]).started()
        await driver.stop()
        await driver.stop()
        let error = await driverError { _ = try await driver.call("get", "k") }
        #expect(error?.code == .cancelled)
    }

    @Test func invokeBeforeStartIsUnavailableAndStopBeforeStartIsFine() async throws {
        let driver = try makeDriver(["redisHost": server.address])
        let error = await driverError { _ = try await driver.call("get", "k") }
        #expect(error?.code == .unavailable)
        await driver.stop()
    }

    @Test func concurrentStopsBothWaitForTheThread() async throws {
        let driver = try await makeDriver(["redisHost": server.address, "readTimeout": "-1"]).started()
        server.freeze(true)
        defer { server.freeze(false) }
        let pending = Task { await driverError { _ = try await driver.call("get", "k") } }
        async let first: Void = driver.stop()
        async let second: Void = driver.stop()
        _ = await (first, second)
        #expect(await pending.value?.code == .cancelled)
    }

    @Test func aPassedDeadlineIsATimeout() async throws {
        try await withDriver(["redisHost": server.address]) { driver async throws in
            let error = await driverError {
                _ = try await driver.invoke(InvokeRequest(operation: "get", metadata: ["key": "k"], deadline: 1))
            }
            #expect(error?.code == .timeout)
        }
    }
}

/// A thread-safe counter for tests.
final class Counter: @unchecked Sendable {
    // @unchecked Sendable: every access holds `lock`.
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
