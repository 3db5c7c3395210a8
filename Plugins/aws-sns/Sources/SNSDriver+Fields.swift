import AWSKit
import DriverKit

/// Metadata keys of this driver, spelled as in metadata.yaml (the AWS ones are AWSProfile's).
enum SNSKey: String, MetadataKey {
    case topicArn
}

extension SNSDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal): the
    /// topic, then the AWS profile shared by every AWS driver.
    static let fields: [MetadataField] =
        [
            MetadataField(
                SNSKey.topicArn, required: true,
                description: "ARN of the SNS topic to publish to (arn:aws:sns:REGION:ACCOUNT:NAME).")
        ] + AWSProfile.fields
}
