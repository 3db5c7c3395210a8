import AWSKit
import DriverKit

/// Metadata keys of this driver, spelled as in metadata.yaml (the AWS ones are AWSProfile's).
enum SQSKey: String, MetadataKey {
    case queueName
}

extension SQSDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal): the
    /// queue, then the AWS profile shared by every AWS driver.
    static let fields: [MetadataField] =
        [
            MetadataField(
                SQSKey.queueName, required: true,
                description:
                    "Name of the SQS queue (not its URL): create sends to it, input receives from it. Resolved to its URL with GetQueueUrl."
            )
        ] + AWSProfile.fields
}
