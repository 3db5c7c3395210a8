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
        // fake-gcs-server's 404 body is {"error":{"code":404,"message":"Not Found","errors":[{…,
        // "reason":"Not Found","message":"Not Found"}]}}: googleapi's rendering of it.
        #expect(
            await driver.failure("create", "x", ["key": "k"])
                == "gcp bucket binding error while flushing: googleapi: Error 404: Not Found, Not Found")
        #expect(
            await driver.failure("list", "{}")
                == "gcp bucket binding error while listing: googleapi: Error 404: Not Found, Not Found")
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

    @Test func errorAnswersReadAsGoogleAPIGoWritesThem() {
        func rendered(_ status: Int, _ body: String) -> String {
            GoogleAPIError(status: status, body: Array(body.utf8)).description
        }
        #expect(
            rendered(
                404,
                #"{"error":{"code":404,"message":"The specified bucket does not exist.","errors":[{"message":"The specified bucket does not exist.","domain":"global","reason":"notFound"}]}}"#
            ) == "googleapi: Error 404: The specified bucket does not exist., notFound")
        #expect(rendered(502, "Bad Gateway") == "googleapi: got HTTP response code 502 with body: Bad Gateway")
        #expect(
            rendered(
                403,
                #"{"error":{"code":403,"message":"denied","errors":[{"message":"a","reason":"r1"},{"message":"b","reason":"r2"}]}}"#
            ) == "googleapi: Error 403: denied\nMore details:\nReason: r1, Message: a\nReason: r2, Message: b\n")
    }
}
