import DriverKit
import GoogleAuth

/// Metadata keys of this driver, spelled as in metadata.yaml (the Google ones are GoogleProfile's).
enum PubSubKey: String, MetadataKey {
    case topic
    case subscription
    case endpoint
}

extension PubSubDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal): Dapr's
    /// two, bindery's `endpoint`, then the GCP profile shared by the Google drivers.
    static let fields: [MetadataField] =
        [
            MetadataField(
                PubSubKey.topic, required: true,
                description:
                    "The Pub/Sub topic create publishes to (its id, or a full projects/P/topics/T path); request metadata \"topic\" overrides it."
            ),
            MetadataField(
                PubSubKey.subscription,
                description:
                    "The Pub/Sub subscription input pulls from (its id, or a full projects/P/subscriptions/S path); required for input."
            ),
            MetadataField(
                PubSubKey.endpoint,
                description:
                    "bindery extension: base URL of the Pub/Sub REST API (an emulator, a regional endpoint such as https://europe-west1-pubsub.googleapis.com); without credentials requests go unauthenticated. PUBSUB_EMULATOR_HOST, when set, takes precedence. Default: https://pubsub.googleapis.com."
            ),
        ] + GoogleProfile.fields
}
