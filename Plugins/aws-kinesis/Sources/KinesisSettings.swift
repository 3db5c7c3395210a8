import AWSKit
import DriverKit

/// Metadata keys of `bindings.aws.kinesis`, spelled as in metadata.yaml (the AWS ones are
/// AWSProfile's).
enum KinesisKey: String, MetadataKey {
    case streamName, consumerName, mode, partitionKey, initialPosition
}

/// The component configuration of one `bindings.aws.kinesis` instance, checked at create (no I/O).
struct KinesisSettings: Sendable {
    /// Dapr's consumer modes: `shared` reads with GetRecords (KCL), `extended` is enhanced
    /// fan-out over SubscribeToShard, which this driver refuses (see the README).
    enum Mode: String, Sendable {
        case shared, extended
    }

    /// Where a shard without a checkpoint is first read from.
    enum InitialPosition: String, Sendable {
        /// Only records added after the reader started (KCL's default, so Dapr's behaviour).
        case latest = "LATEST"
        /// The oldest record the stream still holds.
        case trimHorizon = "TRIM_HORIZON"
    }

    let streamName: String
    /// The input's application name: names the lease and checkpoint table (as Dapr's KCL
    /// worker does); nil when the component leaves it out, which only input refuses.
    let consumerName: String?
    let mode: Mode
    /// The partition key of records whose request names none (bindery: Dapr declares this
    /// field but ignores it and uses a random UUID).
    let partitionKey: String?
    let initialPosition: InitialPosition
    /// Kinesis: region, credentials, endpoint.
    let kinesis: AWSConfiguration
    /// The lease table's DynamoDB, at the same `endpoint` when one is set (as Dapr points KCL's
    /// DynamoDB client at it).
    let dynamodb: AWSConfiguration

    init(_ configuration: DriverConfiguration) throws {
        let metadata = ComponentMetadata(configuration, fields: KinesisDriver.fields)
        streamName = try metadata.required(KinesisKey.streamName)
        consumerName = metadata.string(KinesisKey.consumerName)
        let modeText = try metadata.enumeration(KinesisKey.mode) ?? Mode.shared.rawValue
        guard let mode = Mode(rawValue: modeText.lowercased()) else {
            // Dapr's words: `aws.kinesis invalid "mode" field <value>`.
            throw metadata.invalid(KinesisKey.mode, modeText, expected: "\"shared\" or \"extended\"")
        }
        self.mode = mode
        partitionKey = metadata.string(KinesisKey.partitionKey)
        let position = try metadata.enumeration(KinesisKey.initialPosition) ?? "latest"
        initialPosition = position.lowercased() == "trimhorizon" ? .trimHorizon : .latest
        kinesis = try AWSConfiguration(metadata, service: .kinesis)
        dynamodb = try AWSConfiguration(metadata, service: .dynamodb)
    }
}
