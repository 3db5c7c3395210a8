import DriverKit
import DriverTesting
import Testing

@testable import DynamoDBDriver

/// `create` against moto's DynamoDB, each item read back with boto3's GetItem: every JSON type
/// lands with Dapr's attribute type, and DynamoDB's refusals reach the caller clearly.
@Suite struct PutItemTests {
    @Test func everyJSONTypeIsStoredWithDaprsAttributeType() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let table = uniqueTable("types")
        try await Boto.createTable(moto, table)
        try await withDriver(moto, table: table) { driver in
            try await driver.create(
                #"{"id":"all","s":"text","empty":"","int":42,"float":1.50,"exp":1e3,"big":12345678901234567890,"neg":-0.25,"yes":true,"no":false,"nothing":null,"list":[1,"two",null,false,[],{}],"map":{"inner":{"deep":"x"},"n":0},"emptyMap":{},"emptyList":[],"dup":1,"dup":"last"}"#
            )
            let item = try await Boto.item(moto, table, "all")
            #expect(
                item
                    == #"{"big":{"N":"12345678901234567000"},"dup":{"S":"last"},"empty":{"S":""},"emptyList":{"L":[]},"emptyMap":{"M":{}},"exp":{"N":"1000"},"float":{"N":"1.5"},"id":{"S":"all"},"int":{"N":"42"},"list":{"L":[{"N":"1"},{"S":"two"},{"NULL":true},{"BOOL":false},{"L":[]},{"M":{}}]},"map":{"M":{"inner":{"M":{"deep":{"S":"x"}}},"n":{"N":"0"}}},"neg":{"N":"-0.25"},"no":{"BOOL":false},"nothing":{"NULL":true},"s":{"S":"text"},"yes":{"BOOL":true}}"#
            )
        }
    }

    @Test func aSecondCreateWithTheSameKeyReplacesTheItem() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let table = uniqueTable("replace")
        try await Boto.createTable(moto, table)
        try await withDriver(moto, table: table) { driver in
            try await driver.create(#"{"id":"k","v":1,"old":true}"#)
            try await driver.create(#"{"id":"k","v":2}"#)
            #expect(try await Boto.item(moto, table, "k") == #"{"id":{"S":"k"},"v":{"N":"2"}}"#)
            for n in 0..<20 { try await driver.create(#"{"id":"n\#(n)"}"#) }
            #expect(try await Boto.run(moto, "count", [table]) as? Int == 21)
        }
    }

    @Test func aMissingTableFailsNamingTheTableAndDynamoDBsError() async throws {
        let moto = try await ServerProcess.sharedMoto()
        try await withDriver(moto, table: "no-such-table") { driver in
            let error = try await #require(throws: DriverError.self) { try await driver.create(#"{"id":"1"}"#) }
            #expect(error.message.contains("items"), "\(error.message)")
            #expect(error.message.contains("no-such-table"), "\(error.message)")
            #expect(error.message.contains("ResourceNotFoundException"), "\(error.message)")
        }
    }

    @Test func anItemWithoutItsKeyIsRefusedByDynamoDB() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let table = uniqueTable("nokey")
        try await Boto.createTable(moto, table)
        try await withDriver(moto, table: table) { driver in
            // A string, an array: the SDK's MarshalMap gives an empty item, DynamoDB wants the key.
            for data in [#"{"other":1}"#, #""just text""#, "[1,2]"] {
                let error = try await #require(throws: DriverError.self) { try await driver.create(data) }
                #expect(error.message.contains("ValidationException"), "\(data): \(error.message)")
                #expect(error.message.contains("Missing the key id"), "\(data): \(error.message)")
            }
        }
    }

    @Test func dataThatIsNotJSONIsRefusedBeforeAnyRequest() async throws {
        let moto = try await ServerProcess.sharedMoto()
        try await withDriver(moto, table: "never-reached") { driver in
            let error = try await #require(throws: DriverError.self) { try await driver.create("{not json") }
            #expect(error.code == .invalidArgument)
            #expect(
                error.message
                    == "items: bindings.aws.dynamodb create: the data is not an item: invalid character 'n' looking for beginning of object key string"
            )
            let empty = try await #require(throws: DriverError.self) { try await driver.create(#"{"id":"1","":2}"#) }
            #expect(empty.message.hasSuffix("marshal failed, map key cannot be empty"), "\(empty.message)")
        }
    }

    @Test func anUnknownOperationIsRefused() async throws {
        let moto = try await ServerProcess.sharedMoto()
        try await withDriver(moto, table: "t") { driver in
            let error = try await #require(throws: DriverError.self) {
                _ = try await driver.invoke(InvokeRequest(operation: "get", data: Array("{}".utf8)))
            }
            #expect(error.code == .unsupported)
            #expect(error.message.contains("\"get\""), "\(error.message)")
        }
    }
}
