import AWSKit
import DriverKit

/// Metadata keys of `bindings.aws.dynamodb`, spelled as in metadata.yaml (the AWS ones are
/// AWSProfile's).
enum DynamoDBKey: String, MetadataKey {
    case table
}

/// The component configuration of one `bindings.aws.dynamodb` instance, checked at create (no I/O).
struct DynamoDBSettings: Sendable {
    /// The table `create` writes to.
    let table: String
    /// Region, credentials and endpoint, read as Dapr's AWS auth profile reads them.
    let aws: AWSConfiguration

    init(_ configuration: DriverConfiguration) throws {
        let metadata = ComponentMetadata(configuration, fields: DynamoDBDriver.fields)
        table = try metadata.required(DynamoDBKey.table)
        aws = try AWSConfiguration(metadata, service: .dynamodb)
    }
}
