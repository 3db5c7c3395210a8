import DriverKit
import DriverTesting
import Testing

@testable import KinesisDriver

/// `create` against moto's Kinesis, each record read back with boto3.
@Suite struct OutputTests {
    @Test func createPutsTheBytesWithTheRequestsPartitionKey() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let stream = unique("put")
        try await Boto.createStream(moto, stream, shards: 2)
        try await withOutput(moto, stream: stream) { driver in
            try await driver.put(#"{"order":1,"note":"é <b>"}"#, partitionKey: "customer-7")
            try await driver.put(#""quoted text""#, partitionKey: "customer-8")
        }
        let records = try await Boto.read(moto, stream).sorted { $0["data"]! < $1["data"]! }
        #expect(records.map { $0["data"] } == [#""quoted text""#, #"{"order":1,"note":"é <b>"}"#])
        #expect(records.map { $0["key"] } == ["customer-8", "customer-7"])
    }

    @Test func withoutAPartitionKeyEachRecordGetsItsOwnUUIDOrTheComponentsKey() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let stream = unique("keys")
        try await Boto.createStream(moto, stream, shards: 1)
        try await withOutput(moto, stream: stream) { driver in
            for n in 0..<5 { try await driver.put("\(n)") }
        }
        try await withOutput(moto, stream: stream, ["partitionKey": "fixed"]) { driver in
            try await driver.put("component")
            try await driver.put("request", partitionKey: "mine")
        }
        let records = try await Boto.read(moto, stream)
        let generated = records.prefix(5).compactMap { $0["key"] }
        #expect(Set(generated).count == 5)
        #expect(generated.allSatisfy { $0.count == 36 && $0.split(separator: "-").count == 5 }, "\(generated)")
        #expect(records.suffix(2).map { $0["key"] } == ["fixed", "mine"])
    }

    @Test func aMissingStreamFailsNamingTheStreamAndKinesissError() async throws {
        let moto = try await ServerProcess.sharedMoto()
        try await withOutput(moto, stream: "no-such-stream") { driver in
            let error = try await #require(throws: DriverError.self) { try await driver.put("x") }
            #expect(error.message.contains("clicks"), "\(error.message)")
            #expect(error.message.contains("no-such-stream"), "\(error.message)")
            #expect(error.message.contains("ResourceNotFoundException"), "\(error.message)")
        }
    }

    @Test func anUnknownOperationIsRefused() async throws {
        let moto = try await ServerProcess.sharedMoto()
        try await withOutput(moto, stream: "s") { driver in
            let error = try await #require(throws: DriverError.self) {
                _ = try await driver.invoke(InvokeRequest(operation: "get"))
            }
            #expect(error.code == .unsupported)
        }
    }
}
