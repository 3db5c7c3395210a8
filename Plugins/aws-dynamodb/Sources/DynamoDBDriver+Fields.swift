import AWSKit
import DriverKit

extension DynamoDBDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal): the
    /// table, then the AWS fields every AWS driver shares.
    static let fields: [MetadataField] =
        [
            MetadataField(
                DynamoDBKey.table, required: true,
                description: "The DynamoDB table that create writes items to.")
        ] + AWSProfile.fields
}
