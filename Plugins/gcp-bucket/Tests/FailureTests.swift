import DriverKit
import DriverTesting
import Testing

@testable import GCPBucketDriver

/// A bucket that does not exist, the emulator stopped and started again, bad configuration.
@Suite struct FailureTests {
    @Test func aBucketThatDoesNotExistFailsEachOperationClearly() async throws {
        let server = try await ServerProcess.sharedGCS()
        let driver = try await startedDriver(server, bucket: ServerProcess.uniqueName("absent"))
        defer { Task { await driver.stop() } }
        let create = try #require(await driver.failure("create", "x", ["key": "k"]))
        #expect(create.hasPrefix("gcp bucket binding error while flushing: googleapi: "))
        #expect(create.contains("404"))
        let list = try #require(await driver.failure("list", "{}"))
        #expect(list.hasPrefix("gcp bucket binding error while listing: googleapi: "))
        #expect(
            await driver.failure("get", "", ["key": "k"])
                == "gcp bucketgcp bucket binding error while downloading object: storage: object doesn't exist")
    }

    @Test func theEmulatorStoppedAndStartedAgainIsAnErrorThenWorks() async throws {
        let server = try await ServerProcess.gcs()
        let bucket = ServerProcess.uniqueName("restart")
        try server.gcsCreateBucket(bucket)
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        _ = try await driver.call("create", "before", ["key": "k"])
        server.stop()
        do {
            _ = try await driver.call("create", "down", ["key": "k"])
            Issue.record("create succeeded with the emulator stopped")
        } catch let error as DriverError {
            #expect(error.code == .unavailable && error.isRetryable)
            #expect(
                error.message.hasPrefix("gcp bucket binding error while flushing: Post \"\(server.endpointURL)/upload/")
            )
        }
        try await server.start()
        // The emulator keeps objects in memory: the bucket is made again after the restart.
        try server.gcsCreateBucket(bucket)
        _ = try await driver.call("create", "after", ["key": "k"])
        #expect(try await driver.call("get", "", ["key": "k"])?.text == "after")
    }

    @Test func aRequestWhoseDeadlineHasPassedIsNotSent() async throws {
        let (server, bucket) = try await freshBucket("deadline")
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        do {
            _ = try await driver.invoke(
                InvokeRequest(operation: "create", data: bytes("x"), metadata: ["key": "late"], deadline: 1))
            Issue.record("a request past its deadline was sent")
        } catch let error as DriverError {
            #expect(error.code == .timeout)
        }
        #expect(try server.gcsGet(bucket, "late") == nil)
    }
}
