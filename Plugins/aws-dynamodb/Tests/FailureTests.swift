import DriverKit
import DriverTesting
import Testing

@testable import DynamoDBDriver

/// What goes wrong between the driver and DynamoDB: credentials moto refuses, moto stopped and
/// started again.
@Suite struct FailureTests {
    @Test func aWrongSecretIsRefusedWithSignatureDoesNotMatch() async throws {
        let moto = try await ServerProcess.moto(checkingSignatures: true)
        let signing = try moto.motoCredentials()
        let table = uniqueTable("signed")
        try await Boto.run(moto, "create-table", [table, "id"], key: signing.accessKey, secret: signing.secretKey)
        // The right key and secret work: moto checks the driver's SigV4 signature.
        try await withDriver(moto, table: table, ["accessKey": signing.accessKey, "secretKey": signing.secretKey]) {
            try await $0.create(#"{"id":"signed"}"#)
        }
        let stored = try await Boto.run(
            moto, "get-item", [table, "id", "signed"], key: signing.accessKey, secret: signing.secretKey)
        #expect(stored as? String == #"{"id":{"S":"signed"}}"#)
        try await withDriver(moto, table: table, ["accessKey": signing.accessKey, "secretKey": "wrong"]) { driver in
            let error = try await #require(throws: DriverError.self) { try await driver.create(#"{"id":"x"}"#) }
            #expect(error.message.contains("SignatureDoesNotMatch"), "\(error.message)")
            #expect(error.message.contains("items"), "\(error.message)")
        }
    }

    @Test func createFailsWhileMotoIsDownAndWorksOnceItIsBack() async throws {
        let moto = try await ServerProcess.moto()
        let table = uniqueTable("restart")
        try await Boto.createTable(moto, table)
        try await withDriver(moto, table: table) { driver in
            try await driver.create(#"{"id":"before"}"#)
            moto.stop()
            let error = try await #require(throws: DriverError.self) { try await driver.create(#"{"id":"down"}"#) }
            #expect(error.message.contains("items"), "\(error.message)")
            #expect(
                error.message.contains(String(moto.port)) || error.message.lowercased().contains("connect"),
                "\(error.message)")
            try await moto.start()
            // moto keeps nothing across a restart: the table is made again, and the same
            // instance (the same connection pool) writes to it.
            try await Boto.createTable(moto, table)
            try await driver.create(#"{"id":"after"}"#)
            #expect(try await Boto.item(moto, table, "after") == #"{"id":{"S":"after"}}"#)
            #expect(try await Boto.item(moto, table, "down") == nil)
        }
    }
}
