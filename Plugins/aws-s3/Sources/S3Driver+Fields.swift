import AWSKit
import DriverKit

extension S3Driver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal): Dapr's
    /// fields, the ones its code reads but its metadata.yaml leaves out (filePath, presignTTL,
    /// storageClass), then the AWS profile shared by every AWS driver.
    static let fields: [MetadataField] =
        [
            MetadataField(S3Key.bucket, required: true, description: "The name of the S3 bucket to write to."),
            MetadataField(
                S3Key.forcePathStyle, .bool, default: "false",
                description:
                    "Path-style addressing (https://<endpoint>/<bucket>/<key>) instead of virtual-hosted (https://<bucket>.<endpoint>/<key>). Endpoints given as an IP address always use path style."
            ),
            MetadataField(
                S3Key.decodeBase64, .bool, default: "false",
                description:
                    "Decode the data of create and bulkCreate from base64 before uploading (binary content); request metadata decodeBase64 overrides it."
            ),
            MetadataField(
                S3Key.encodeBase64, .bool, default: "false",
                description:
                    "Return the content of get and bulkGet base64-encoded; request metadata encodeBase64 overrides it."),
            MetadataField(
                S3Key.disableSSL, .bool, default: "false",
                description: "Connect over plain HTTP: an endpoint without a scheme gets http:// (else https://)."),
            MetadataField(
                S3Key.insecureSSL, .bool, default: "false",
                description: "Accept self-signed or invalid certificates on https:// endpoints (insecure)."),
            MetadataField(
                S3Key.filePath,
                description:
                    "A file on the bindery host whose content create uploads instead of the request's data; request metadata filePath overrides it."
            ),
            MetadataField(
                S3Key.presignTTL,
                description:
                    "A Go duration (15m, 24h; at most 168h): create also returns a presigned GET URL valid that long, and presign uses it; request metadata presignTTL overrides it."
            ),
            MetadataField(
                S3Key.storageClass,
                description:
                    "The storage class of uploaded objects (STANDARD, REDUCED_REDUNDANCY, STANDARD_IA, GLACIER, …); request metadata storageClass overrides it."
            ),
        ] + AWSProfile.fields
}
