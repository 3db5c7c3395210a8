import DriverKit
import DriverTesting
import Testing

@testable import DynamoDBDriver

/// The component's metadata as the driver reads it (no server).
@Suite struct SettingsTests {
    private func settings(_ metadata: [String: String]) throws -> DynamoDBSettings {
        try DynamoDBDriver(
            configuration: DriverConfiguration(
                componentName: "items", type: "bindings.aws.dynamodb", directions: .output, metadata: metadata)
        ).settings
    }

    @Test func aMissingTableIsRefusedNamingTheComponentAndTheField() {
        let error = #expect(throws: DriverError.self) { try settings(["region": "us-east-1"]) }
        #expect(error?.message == "items: metadata \"table\" is required")
        #expect(error?.code == .invalidArgument)
    }

    @Test func theTableAndTheEndpointAreRead() throws {
        let read = try settings([
            "TABLE": "orders", "region": "eu-west-1", "endpoint": "http://127.0.0.1:4566", "accessKey": "a",
            "secretKey": "b",
        ])
        #expect(read.table == "orders")
        #expect(read.aws.region == "eu-west-1")
        #expect(read.aws.endpoint == "http://127.0.0.1:4566")
    }
}
