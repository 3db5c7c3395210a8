import AWSSigning
import DriverKit

extension AWSConfiguration {
    /// The credentials and where they came from: metadata accessKey/secretKey (+sessionToken),
    /// then AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (+AWS_SESSION_TOKEN), then the profile in the
    /// shared credentials file, then keys written in the shared config file's profile.
    static func credentials(
        _ metadata: ComponentMetadata, environment: AWSEnvironment, profile: String, config: SharedFile?
    ) throws(AWSConfigurationError) -> (Credentials, String) {
        let accessKey = metadata.string(AWSKey.accessKey)
        let secretKey = metadata.string(AWSKey.secretKey)
        switch (accessKey, secretKey) {
        case (let access?, let secret?):
            return (
                Credentials(
                    accessKeyID: access, secretAccessKey: secret, sessionToken: metadata.string(AWSKey.sessionToken)),
                "metadata"
            )
        case (.some, nil), (nil, .some):
            throw AWSConfigurationError(
                "metadata \"\(accessKey == nil ? "secretKey" : "accessKey")\" is set without \"\(accessKey == nil ? "accessKey" : "secretKey")\": give both, or neither to use the environment"
            )
        case (nil, nil):
            break
        }
        if let access = environment.first("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY") {
            guard let secret = environment.first("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY") else {
                throw AWSConfigurationError("\(access.name) is set in the environment without AWS_SECRET_ACCESS_KEY")
            }
            return (
                Credentials(
                    accessKeyID: access.value, secretAccessKey: secret.value,
                    sessionToken: environment["AWS_SESSION_TOKEN"]),
                "environment"
            )
        }
        let credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? environment.homeFile("credentials")
        let files = [
            try credentialsPath.flatMap { path throws(AWSConfigurationError) in try SharedFile.read(path) }, config,
        ]
        for (file, isConfig) in zip(files, [false, true]) {
            guard let file, let keys = file.profile(profile, config: isConfig) else { continue }
            // Checked before the keys: with role_arn the SDK would assume the role, and the keys
            // alone would call AWS with other permissions.
            for unsupported in [
                "role_arn", "credential_process", "sso_start_url", "sso_session", "web_identity_token_file",
            ]
            where keys[unsupported] != nil {
                throw AWSConfigurationError(
                    "profile \"\(profile)\" in \(file.path) uses \(unsupported), which bindery does not support; give it aws_access_key_id and aws_secret_access_key only, or set accessKey and secretKey in the component"
                )
            }
            if let access = keys["aws_access_key_id"], let secret = keys["aws_secret_access_key"] {
                return (
                    Credentials(accessKeyID: access, secretAccessKey: secret, sessionToken: keys["aws_session_token"]),
                    "\(file.path) [\(profile)]"
                )
            }
        }
        throw AWSConfigurationError(
            "no AWS credentials: set metadata \"accessKey\" and \"secretKey\", AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or profile \"\(profile)\" in \(credentialsPath ?? "~/.aws/credentials") (bindery does not fetch web identity, container or instance-metadata credentials)"
        )
    }
}
