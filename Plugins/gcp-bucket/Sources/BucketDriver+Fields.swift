import DriverKit
import GoogleAuth

extension BucketDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal): Dapr's
    /// fields, bindery's `endpoint`, then the Google profile shared by the GCP drivers.
    static let fields: [MetadataField] =
        [
            MetadataField(BucketKey.bucket, required: true, description: "The name of the GCS bucket."),
            MetadataField(
                BucketKey.signTTL,
                description:
                    "A Go duration (15m, 1h; at most 168h): how long the URLs of the sign operation stay valid; request metadata signTTL overrides it."
            ),
            MetadataField(
                BucketKey.decodeBase64, .bool, default: "false",
                description:
                    "Decode the data of create from base64 before uploading (binary content); request metadata decodeBase64 overrides it."
            ),
            MetadataField(
                BucketKey.encodeBase64, .bool, default: "false",
                description:
                    "Return the content of get and bulkGet base64-encoded; request metadata encodeBase64 overrides it."),
            MetadataField(
                BucketKey.contentType,
                description:
                    "The MIME type of created objects (text/csv, application/json, …); unset, it is detected from the content as Go's client does. Request metadata contentType overrides it."
            ),
            MetadataField(
                BucketKey.endpoint,
                description:
                    "bindery extension: the base URL of the GCS JSON API (an emulator such as http://127.0.0.1:4443, or a private endpoint). The STORAGE_EMULATOR_HOST variable, as in Dapr, takes precedence."
            ),
        ] + GoogleProfile.fields
}
