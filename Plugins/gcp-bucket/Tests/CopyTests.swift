import DriverKit
import DriverTesting
import Testing

@testable import GCPBucketDriver

/// copy, rename and move through the JSON API's rewrite.
@Suite struct CopyTests {
    @Test func copyWritesTheDestinationAndKeepsTheSource() async throws {
        let (server, bucket) = try await freshBucket("copy")
        let (_, other) = try await freshBucket("copy-dest")
        try server.gcsPut(bucket, "src", bytes("payload"))
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let same = try await driver.call("copy", "{\"destinationKey\":\"dst\"}", ["key": "src"])
        #expect(same?.text == "object src copied to \(bucket)/dst")
        let across = try await driver.call("copy", "{\"destinationBucket\":\"\(other)\"}", ["key": "src"])
        #expect(across?.text == "object src copied to \(other)/src")
        #expect(try server.gcsNames(bucket) == ["dst", "src"])
        #expect(try server.gcsGet(other, "src") == bytes("payload"))
    }

    @Test func renameAndMoveRemoveTheSource() async throws {
        let (server, bucket) = try await freshBucket("move")
        let (_, other) = try await freshBucket("move-dest")
        try server.gcsPut(bucket, "a", bytes("A"))
        try server.gcsPut(bucket, "b", bytes("B"))
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        #expect(try await driver.call("rename", "{\"newName\":\"a2\"}", ["key": "a"])?.text == "object a renamed to a2")
        #expect(
            try await driver.call(
                "move", "{\"destinationBucket\":\"\(other)\",\"destinationKey\":\"b2\"}", ["key": "b"])?
                .text == "object b moved to \(other)/b2")
        #expect(try server.gcsNames(bucket) == ["a2"])
        #expect(try server.gcsGet(bucket, "a2") == bytes("A"))
        #expect(try server.gcsGet(other, "b2") == bytes("B"))
    }

    @Test func badDestinationsAreRefusedBeforeAnythingIsWritten() async throws {
        let (server, bucket) = try await freshBucket("copybad")
        try server.gcsPut(bucket, "keep", bytes("k"))
        let driver = try await startedDriver(server, bucket: bucket)
        defer { Task { await driver.stop() } }
        let neither = await driver.failure("copy", "{}", ["key": "keep"])
        #expect(
            neither?.hasPrefix(
                "gcp bucket binding error: copy/move requires at least one of destinationBucket or destinationKey")
                == true)
        #expect(
            await driver.failure("move", "{\"destinationKey\":\"keep\"}", ["key": "keep"])
                == "gcp bucket binding error: move destination \(bucket)/keep is the same as the source — move would delete the source object"
        )
        #expect(
            await driver.failure("rename", "{}", ["key": "keep"])
                == "gcp bucket binding error: required 'newName' missing")
        #expect(
            await driver.failure("rename", "nope", ["key": "keep"])
                == "gcp bucket binding error: invalid rename payload")
        #expect(
            await driver.failure("copy", "{\"destinationKey\":1}", ["key": "keep"])
                == "gcp bucket binding error: invalid copy payload: json: cannot unmarshal number into Go struct field copyPayload.destinationKey of type string"
        )
        #expect(
            await driver.failure("copy", "{\"destinationKey\":\"x\"}", ["key": "missing"])
                == "gcp bucket binding error while copying object: storage: object doesn't exist")
        #expect(try server.gcsNames(bucket) == ["keep"])
    }
}
