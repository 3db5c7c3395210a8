/// An AWS service as requests to it are addressed and signed.
public struct AWSService: Sendable, Equatable {
    /// The name in the signature's scope (`s3`, `sqs`).
    public var signingName: String
    /// The first label of AWS's own host name (`sqs.us-east-1.amazonaws.com`).
    public var endpointPrefix: String
    /// The suffix of the per-service endpoint variable (`AWS_ENDPOINT_URL_S3`).
    public var environmentName: String
    /// The name errors give it, as the AWS SDK for Go's (`operation error SQS: SendMessage, …`).
    public var serviceID: String

    public init(signingName: String, endpointPrefix: String, environmentName: String, serviceID: String) {
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.environmentName = environmentName
        self.serviceID = serviceID
    }

    public static let s3 = AWSService(signingName: "s3", endpointPrefix: "s3", environmentName: "S3", serviceID: "S3")
    public static let sqs = AWSService(
        signingName: "sqs", endpointPrefix: "sqs", environmentName: "SQS", serviceID: "SQS")
    public static let sns = AWSService(
        signingName: "sns", endpointPrefix: "sns", environmentName: "SNS", serviceID: "SNS")
    public static let dynamodb = AWSService(
        signingName: "dynamodb", endpointPrefix: "dynamodb", environmentName: "DYNAMODB", serviceID: "DynamoDB")
    public static let kinesis = AWSService(
        signingName: "kinesis", endpointPrefix: "kinesis", environmentName: "KINESIS", serviceID: "Kinesis")
    public static let iam = AWSService(
        signingName: "iam", endpointPrefix: "iam", environmentName: "IAM", serviceID: "IAM")
}
