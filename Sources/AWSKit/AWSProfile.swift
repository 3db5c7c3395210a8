import DriverKit

/// The metadata of Dapr's AWS authentication profile, which every AWS binding accepts beside its
/// own fields (components-contrib's `common/aws/auth` Options).
public enum AWSKey: String, MetadataKey {
    case region, awsRegion, accessKey, secretKey, sessionToken, endpoint
    case assumeRoleArn, sessionName, assumeRoleSessionName, trustAnchorArn, trustProfileArn
}

public enum AWSProfile {
    /// The profile's fields, for a driver's descriptor and metadata.yaml (`own + AWSProfile.fields`).
    public static let fields: [MetadataField] = [
        MetadataField(
            AWSKey.region,
            description:
                "AWS region of the resource (us-east-1). Default: AWS_REGION or AWS_DEFAULT_REGION, then the shared config file."
        ),
        MetadataField(
            AWSKey.awsRegion,
            description: "Older name of region, still accepted (Dapr deprecates it as of 1.17)."),
        MetadataField(
            AWSKey.accessKey, sensitive: true,
            description:
                "AWS access key ID; needs secretKey. Default: AWS_ACCESS_KEY_ID, then the shared credentials file."),
        MetadataField(AWSKey.secretKey, sensitive: true, description: "AWS secret access key; needs accessKey."),
        MetadataField(
            AWSKey.sessionToken, sensitive: true,
            description: "Session token of temporary credentials (sent as X-Amz-Security-Token)."),
        MetadataField(
            AWSKey.endpoint,
            description:
                "Base URL of the service (http://127.0.0.1:5000 for a local emulator). Default: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, then AWS's own endpoint for the region."
        ),
        MetadataField(
            AWSKey.assumeRoleArn,
            description:
                "IAM role to assume through STS: not supported by bindery; a component that sets it is refused."),
        MetadataField(
            AWSKey.sessionName,
            description: "Session name for assumeRoleArn: not supported by bindery (see assumeRoleArn)."),
        MetadataField(
            AWSKey.trustAnchorArn,
            description:
                "IAM Roles Anywhere trust anchor: not supported by bindery; a component that sets it is refused."),
        MetadataField(
            AWSKey.trustProfileArn,
            description: "IAM Roles Anywhere profile: not supported by bindery (see trustAnchorArn)."),
    ]
}
