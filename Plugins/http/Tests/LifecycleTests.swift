import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import HTTPDriver

/// Concurrency, stop and the curl thread.
@Suite struct LifecycleTests {
    let server: EchoServer

    init() throws { server = try EchoServer.plain.get() }

    @Test func twoHundredConcurrentInvokesAllComplete() async throws {
        let driver = try await makeDriver(["url": server.base]).started()
        let statuses = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let response = try await driver.invoke(
                        InvokeRequest(
                            operation: "post", data: Array("\(index)".utf8), metadata: ["path": "/n\(index)?sleep=0.2"])
                    )
                    let echo = try Echo(try #require(response).data)
                    #expect(echo.body == "\(index)")
                    #expect(echo.path == "/n\(index)?sleep=0.2")
                    return response?.metadata["statusCode"]
                }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(statuses.count == 200)
        #expect(statuses.allSatisfy { $0 == "200" })
        await driver.stop()
    }

    @Test func stopCancelsRequestsInFlightAndReturnsPromptly() async throws {
        let driver = try await makeDriver(["url": server.base]).started()
        let observer = try await makeDriver(["url": server.base]).started()
        let count = 30
        let results = Task {
            await withTaskGroup(of: DriverError?.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        await driverError {
                            _ = try await driver.invoke(
                                InvokeRequest(operation: "get", metadata: ["path": "/?sleep=120"]))
                        }
                    }
                }
                return await group.reduce(into: [DriverError?]()) { $0.append($1) }
            }
        }
        // Wait until the server holds every request (other tests may add their own sleepers).
        var sleeping = 0
        let waitStart = ContinuousClock.now
        while sleeping < count, seconds(since: waitStart) < 60 {  // generous: a loaded test run starves the pool
            let response = try await observer.invoke(InvokeRequest(operation: "get", metadata: ["path": "/sleeping"]))
            sleeping = Int(String(decoding: response?.data ?? [], as: UTF8.self)) ?? 0
            if sleeping < count { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(sleeping >= count)
        await driver.stop()
        // Cancelled, not answered: the server would only answer after 120 s (long enough that no
        // request is answered while a loaded run is still starting the last ones).
        let errors = await results.value
        #expect(errors.count == count)
        #expect(errors.allSatisfy { $0?.code == .cancelled })
        await observer.stop()
    }

    @Test func invokeAfterStopIsCancelledAndStopIsIdempotent() async throws {
        let driver = try await makeDriver(["url": server.base]).started()
        await driver.stop()
        await driver.stop()
        let error = await driverError { _ = try await driver.invoke(InvokeRequest(operation: "get")) }
        #expect(error?.code == .cancelled)
    }

    @Test func stopBeforeStartAndInvokeBeforeStart() async throws {
        let driver = try makeDriver(["url": server.base])
        let error = await driverError { _ = try await driver.invoke(InvokeRequest(operation: "get")) }
        #expect(error?.code == .unavailable)
        await driver.stop()
    }

    @Test func concurrentStopsBothWaitForTheThread() async throws {
        let driver = try await makeDriver(["url": server.base]).started()
        let pending = Task {
            await driverError {
                _ = try await driver.invoke(InvokeRequest(operation: "get", metadata: ["path": "/?sleep=5"]))
            }
        }
        async let first: Void = driver.stop()
        async let second: Void = driver.stop()
        _ = await (first, second)
        #expect(await pending.value?.code == .cancelled)
    }
}
