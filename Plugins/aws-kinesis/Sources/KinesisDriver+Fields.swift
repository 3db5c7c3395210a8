import AWSKit
import DriverKit

extension KinesisDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal): the
    /// stream and input settings, then the AWS fields every AWS driver shares.
    static let fields: [MetadataField] =
        [
            MetadataField(
                KinesisKey.streamName, required: true,
                description: "The Kinesis stream that create puts records to and input reads."),
            MetadataField(
                KinesisKey.consumerName,
                description:
                    "Input: the application name; names the DynamoDB table of leases and checkpoints (KCL's). Required for input."
            ),
            MetadataField(
                KinesisKey.mode, .enumeration(["shared", "extended"]), default: "shared",
                description:
                    "Input: shared (GetRecords on every shard, KCL-style leases and checkpoints) or extended (enhanced fan-out; refused by bindery)."
            ),
            MetadataField(
                KinesisKey.partitionKey,
                description:
                    "The partition key of records whose request metadata has no partitionKey (default: a random UUID per record)."
            ),
            MetadataField(
                KinesisKey.initialPosition, .enumeration(["latest", "trimHorizon"]), default: "latest",
                description:
                    "bindery: where input starts on a shard that has no checkpoint yet: latest (KCL's and Dapr's) or trimHorizon (the oldest record kept)."
            ),
        ] + AWSProfile.fields
}
