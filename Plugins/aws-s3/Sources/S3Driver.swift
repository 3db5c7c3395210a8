import AWSKit
import DriverKit
import Glibc

/// `bindings.aws.s3`: stores, reads, lists and deletes objects in one S3 bucket, as Dapr's
/// `bindings.aws.s3` does, over S3's REST API signed with SigV4 (AWSKit) on a libcurl thread
/// per instance.
final class S3Driver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.aws.s3", version: "1.0.0",
        summary:
            "Creates, gets, lists, deletes and presigns objects in an S3 bucket (or an S3-compatible store), singly or in bulk.",
        directions: [.output],
        operations: ["create", "get", "delete", "list", "presign", "bulkGet", "bulkCreate", "bulkDelete"],
        fields: S3Driver.fields)

    let settings: S3Settings
    let addressing: S3Addressing
    let client: AWSClient
    private let host: DriverHost?

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration, log: host)
    }

    /// Checks the configuration and resolves the AWS profile; no network I/O. `log` is nil in
    /// tests; `environment` (variables) replaces the process's for the profile's fallbacks.
    init(configuration: DriverConfiguration, log host: DriverHost?, environment: [String: String]? = nil) throws {
        settings = try S3Settings(ComponentMetadata(configuration, fields: S3Driver.fields))
        var profile = configuration
        // Dapr puts http:// before a scheme-less endpoint when disableSSL is set.
        for (name, value) in configuration.metadata where name.lowercased() == "endpoint" {
            profile.metadata[name] = S3Settings.endpoint(value, disableSSL: settings.disableSSL)
        }
        let aws = try AWSConfiguration(
            ComponentMetadata(profile, fields: S3Driver.fields), service: .s3,
            environment: environment.map(AWSEnvironment.init) ?? .process)
        addressing = S3Addressing(
            bucket: settings.bucket, endpoint: aws.endpoint, forcePathStyle: settings.forcePathStyle)
        client = AWSClient(
            configuration: aws, service: .s3, component: configuration.componentName, insecureTLS: settings.insecureSSL)
        self.host = host
    }

    /// Starts the HTTP client's thread. As in Dapr, nothing is sent until the first request.
    func start() async throws {
        try client.start()
        if settings.insecureSSL {
            // Dapr's warning, word for word, so that operators' log alerts still fire.
            host?.log(.info, "aws s3: you are using 'insecureSSL' to skip server config verify which is unsafe!")
        }
        host?.log(
            .debug,
            "bindings.aws.s3 ready: bucket \(settings.bucket) at \(addressing.baseURL) (\(addressing.isVirtualHosted ? "virtual-hosted" : "path style"))"
        )
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        let timeout = try RequestDeadline.milliseconds(left: request.deadline, prefix: "s3 binding error")
        switch request.operation {
        case "create": return try await create(request, timeout: timeout)
        case "get": return try await get(request, timeout: timeout)
        case "delete": return try await delete(request, timeout: timeout)
        case "list": return try await list(request, timeout: timeout)
        case "presign": return try presign(request)
        case "bulkGet": return try await bulkGet(request, timeout: timeout)
        case "bulkCreate": return try await bulkCreate(request, timeout: timeout)
        case "bulkDelete": return try await bulkDelete(request, timeout: timeout)
        default:
            throw DriverError(.unsupported, "s3 binding error: unsupported operation \(request.operation)")
        }
    }

    /// Cancels requests in flight and ends the HTTP client's thread before returning.
    func stop() async {
        await client.stop()
    }

    /// `error` as the request's failure: Dapr's words for the step (`uploading failed: `), then
    /// the AWS SDK's wording of the error, with AWSKit's code and retryability.
    func failure(_ error: AWSError, _ step: String) -> DriverError {
        var failure = error.driverError(client.component)
        failure.message = "s3 binding error: \(step): \(error.description)"
        return failure
    }
}

/// The driver this library exports (Plugins/aws-s3/Entry).
public let exportedDriver: any BindingDriver.Type = S3Driver.self
