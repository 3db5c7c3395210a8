import AWSKit
import DriverKit
import DriverTesting
import Foundation
import Testing

/// Credentials, region and endpoint resolve as Dapr's AWS profile and the SDK's default chain
/// resolve them; what bindery does not support is refused by name.
@Suite struct ConfigurationTests {
    static func resolve(
        _ metadata: [String: String], environment: [String: String] = [:], service: AWSService = .sqs
    ) throws -> AWSConfiguration {
        let configuration = DriverConfiguration(
            componentName: "orders", type: "bindings.aws.sqs", directions: [.output], metadata: metadata)
        return try AWSConfiguration(
            ComponentMetadata(configuration, fields: AWSProfile.fields), service: service,
            environment: AWSEnvironment(environment))
    }

    static func failure(_ metadata: [String: String], environment: [String: String] = [:]) -> String {
        do {
            _ = try resolve(metadata, environment: environment)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test func metadataKeysComeFirst() throws {
        let configuration = try Self.resolve(
            ["accessKey": "AK", "secretKey": "SK", "sessionToken": "ST", "region": "eu-west-1"],
            environment: ["AWS_ACCESS_KEY_ID": "env", "AWS_SECRET_ACCESS_KEY": "env", "AWS_REGION": "us-east-2"])
        #expect(configuration.credentials.accessKeyID == "AK")
        #expect(configuration.credentials.secretAccessKey == "SK")
        #expect(configuration.credentials.sessionToken == "ST")
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.endpoint == "https://sqs.eu-west-1.amazonaws.com")
        #expect(!configuration.isCustomEndpoint)
    }

    @Test func awsRegionIsStillAccepted() throws {
        let configuration = try Self.resolve(["accessKey": "AK", "secretKey": "SK", "awsRegion": "ap-south-1"])
        #expect(configuration.region == "ap-south-1")
    }

    @Test func theEnvironmentFillsWhatMetadataLeavesOut() throws {
        let configuration = try Self.resolve(
            [:],
            environment: [
                "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_SESSION_TOKEN": "ST",
                "AWS_DEFAULT_REGION": "us-west-2", "AWS_ENDPOINT_URL": "http://127.0.0.1:4566/",
                "AWS_ENDPOINT_URL_SNS": "http://sns.local:1",
            ])
        #expect(configuration.credentials == .init(accessKeyID: "AK", secretAccessKey: "SK", sessionToken: "ST"))
        #expect(configuration.region == "us-west-2")
        #expect(configuration.endpoint == "http://127.0.0.1:4566", "AWS_ENDPOINT_URL, trailing slash dropped")
        #expect(configuration.credentialSource == "environment")
        let sns = try Self.resolve(
            [:],
            environment: [
                "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_REGION": "us-west-2",
                "AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_SNS": "http://sns.local:1",
            ], service: .sns)
        #expect(sns.endpoint == "http://sns.local:1", "the per-service variable wins")
    }

    @Test func theSharedFilesAreReadForTheProfile() throws {
        let home = try temporaryDirectory("aws-home")
        try FileManager.default.createDirectory(atPath: "\(home)/.aws", withIntermediateDirectories: true)
        try """
        [default]
        aws_access_key_id = DEFAULTKEY
        aws_secret_access_key = defaultsecret

        # the profile the app picks
        [work]
        aws_access_key_id=WORKKEY
        aws_secret_access_key=work/secret=
        aws_session_token = worktoken
        """.write(toFile: "\(home)/.aws/credentials", atomically: true, encoding: .utf8)
        try "[profile work]\nregion = eu-north-1\n[default]\nregion = us-east-1\n"
            .write(toFile: "\(home)/.aws/config", atomically: true, encoding: .utf8)
        let work = try Self.resolve([:], environment: ["HOME": home, "AWS_PROFILE": "work"])
        #expect(
            work.credentials
                == .init(accessKeyID: "WORKKEY", secretAccessKey: "work/secret=", sessionToken: "worktoken"))
        #expect(work.region == "eu-north-1")
        #expect(work.credentialSource == "\(home)/.aws/credentials [work]")
        let plain = try Self.resolve([:], environment: ["HOME": home])
        #expect(plain.credentials.accessKeyID == "DEFAULTKEY" && plain.region == "us-east-1")
    }

    @Test func whatBinderyDoesNotSupportIsRefusedByName() throws {
        let assume = Self.failure(["assumeRoleArn": "arn:aws:iam::1:role/r", "region": "us-east-1"])
        #expect(assume.hasPrefix("orders: metadata \"assumeRoleArn\" asks for an STS assumed role"), "\(assume)")
        let withKeys = Self.failure(
            ["assumeRoleArn": "arn:aws:iam::1:role/r", "accessKey": "AK", "secretKey": "SK", "region": "us-east-1"])
        #expect(
            withKeys.contains("asks for an STS assumed role"), "static keys do not make the role go away: \(withKeys)")
        let session = Self.failure(["sessionName": "app", "accessKey": "AK", "secretKey": "SK", "region": "us-east-1"])
        #expect(session.hasPrefix("orders: metadata \"sessionName\" asks for an STS assumed role"), "\(session)")
        let anywhere = Self.failure(["trustAnchorArn": "arn:x", "region": "us-east-1"])
        #expect(anywhere.contains("IAM Roles Anywhere, which bindery does not support"), "\(anywhere)")
        let home = try temporaryDirectory("aws-role")
        try FileManager.default.createDirectory(atPath: "\(home)/.aws", withIntermediateDirectories: true)
        try "[default]\naws_access_key_id = AK\naws_secret_access_key = SK\nrole_arn = arn:aws:iam::1:role/r\n"
            .write(toFile: "\(home)/.aws/credentials", atomically: true, encoding: .utf8)
        let role = Self.failure(["region": "us-east-1"], environment: ["HOME": home])
        #expect(role.contains("uses role_arn, which bindery does not support"), "\(role)")
    }

    @Test func missingOrHalfGivenSettingsAreClearErrors() {
        let none = Self.failure(["region": "us-east-1"], environment: ["HOME": "/nonexistent"])
        #expect(none.hasPrefix("orders: no AWS credentials"), "\(none)")
        #expect(none.contains("instance-metadata"), "it says what is not tried: \(none)")
        let half = Self.failure(["accessKey": "AK", "region": "us-east-1"])
        #expect(
            half
                == "orders: metadata \"accessKey\" is set without \"secretKey\": give both, or neither to use the environment"
        )
        let noRegion = Self.failure(["accessKey": "AK", "secretKey": "SK"], environment: ["HOME": "/nonexistent"])
        #expect(noRegion.hasPrefix("orders: no AWS region"), "\(noRegion)")
        let endpoint = Self.failure(["accessKey": "AK", "secretKey": "SK", "region": "r", "endpoint": "localhost:4566"])
        #expect(
            endpoint.contains("metadata \"endpoint\" is \"localhost:4566\", expected an http:// or https:// URL"),
            "\(endpoint)")
    }
}
