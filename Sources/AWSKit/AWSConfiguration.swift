import AWSSigning
import DriverKit

/// Where and as whom a driver calls one AWS service, resolved as Dapr's AWS auth profile and the
/// AWS SDK's default chain resolve it: the component's metadata first, then the environment, then
/// the shared credentials and config files. What Dapr supports and bindery does not (assume-role,
/// IAM Roles Anywhere, web identity, container and instance-metadata credentials) is refused by
/// name rather than silently skipped. Reads files, but does no network I/O.
public struct AWSConfiguration: Sendable {
    public var region: String
    public var credentials: Credentials
    /// The base URL requests go to, without a trailing slash: `endpoint`,
    /// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, else `https://<prefix>.<region>.amazonaws.com`.
    public var endpoint: String
    /// True when the endpoint came from metadata or the environment (not AWS's own).
    public var isCustomEndpoint: Bool
    /// Where the credentials came from, for logs and errors (`metadata`, `environment`, a file).
    public var credentialSource: String

    public init(
        region: String, credentials: Credentials, endpoint: String, isCustomEndpoint: Bool = true,
        credentialSource: String = "metadata"
    ) {
        self.region = region
        self.credentials = credentials
        self.endpoint = endpoint
        self.isCustomEndpoint = isCustomEndpoint
        self.credentialSource = credentialSource
    }

    /// Resolves the configuration of the component whose metadata is `metadata`; every error
    /// is an invalidArgument naming the component.
    public init(
        _ metadata: ComponentMetadata, service: AWSService, environment: AWSEnvironment = .process
    ) throws(DriverError) {
        do {
            try self.init(resolving: metadata, service: service, environment: environment)
        } catch {
            throw DriverError(.invalidArgument, "\(metadata.component): \(error.description)")
        }
    }

    private init(
        resolving metadata: ComponentMetadata, service: AWSService, environment: AWSEnvironment
    ) throws(AWSConfigurationError) {
        try Self.refuseUnsupported(metadata)
        let profileName = environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"] ?? "default"
        let configFile = try (environment["AWS_CONFIG_FILE"] ?? environment.homeFile("config")).flatMap {
            path throws(AWSConfigurationError) in try SharedFile.read(path)
        }
        let configProfile = configFile?.profile(profileName, config: true)
        guard
            let region = metadata.string(AWSKey.region, AWSKey.awsRegion)
                ?? environment.first("AWS_REGION", "AWS_DEFAULT_REGION")?.value ?? configProfile?["region"]
        else {
            throw AWSConfigurationError(
                "no AWS region: set metadata \"region\", or AWS_REGION in bindery's environment")
        }
        self.region = region
        (credentials, credentialSource) = try Self.credentials(
            metadata, environment: environment, profile: profileName, config: configFile)
        if let custom = metadata.lookup([AWSKey.endpoint])?.text
            ?? environment.first("AWS_ENDPOINT_URL_\(service.environmentName)", "AWS_ENDPOINT_URL")?.value
        {
            endpoint = try Self.checkedEndpoint(custom)
            isCustomEndpoint = true
        } else {
            endpoint = "https://\(service.endpointPrefix).\(region).amazonaws.com"
            isCustomEndpoint = false
        }
    }

    /// The endpoint without a trailing slash; an http(s) URL with a host and no query.
    static func checkedEndpoint(_ text: String) throws(AWSConfigurationError) -> String {
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
            trimmed.split(separator: "/", omittingEmptySubsequences: false).count >= 3,
            !trimmed.contains("?"), !trimmed.contains(" ")
        else {
            throw AWSConfigurationError(
                "metadata \"endpoint\" is \"\(text)\", expected an http:// or https:// URL such as http://127.0.0.1:5000"
            )
        }
        return trimmed
    }

    /// Assume-role and Roles Anywhere are refused whenever they are asked for, static keys or
    /// not: running with the base keys instead would call AWS with other permissions than the
    /// component asked for.
    private static func refuseUnsupported(_ metadata: ComponentMetadata) throws(AWSConfigurationError) {
        if let anchor = metadata.lookup([AWSKey.trustAnchorArn, AWSKey.trustProfileArn]) {
            throw AWSConfigurationError(
                "metadata \"\(anchor.key)\" asks for IAM Roles Anywhere, which bindery does not support; give accessKey and secretKey (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
            )
        }
        if let role = metadata.lookup([AWSKey.assumeRoleArn, AWSKey.sessionName, AWSKey.assumeRoleSessionName]) {
            throw AWSConfigurationError(
                "metadata \"\(role.key)\" asks for an STS assumed role, which bindery does not support; remove it and give accessKey and secretKey (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) with the role's permissions"
            )
        }
    }
}
