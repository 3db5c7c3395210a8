import DriverKit

/// Metadata keys of this driver, spelled as in metadata.yaml.
enum InfluxKey: String, MetadataKey {
    case url, token, org, bucket, measurement
}

extension InfluxDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal).
    static let fields: [MetadataField] = [
        MetadataField(
            InfluxKey.url, required: true,
            description: "InfluxDB 2 server URL (http://localhost:8086); the v2 API lives under /api/v2 there."),
        MetadataField(
            InfluxKey.token, required: true, sensitive: true,
            description:
                "API token, sent as Authorization: Token; it needs write (create) and read (query) on the bucket."),
        MetadataField(InfluxKey.org, required: true, description: "Organization name that owns the bucket."),
        MetadataField(InfluxKey.bucket, required: true, description: "Bucket that create writes to."),
        MetadataField(
            InfluxKey.measurement,
            description:
                "Measurement for a create whose data names none (bindery extension: Dapr's metadata.yaml lists this field, its binding never reads it)."
        ),
    ]
}
