import AWSKit
import DriverKit
import Synchronization

/// `bindings.aws.sns`: publishes each `create` to one SNS topic (Publish, AWS Query protocol,
/// SigV4), with the message and subject taken from the data as Dapr's binding takes them.
///
/// One AWSClient per instance, opened in `start`; requests run concurrently on it.
final class SNSDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.aws.sns", version: "1.0.0",
        summary: "Publishes messages to an AWS SNS topic (Publish, SigV4).",
        directions: .output, operations: ["create"], fields: SNSDriver.fields)

    /// SNS's Query API version, as the AWS SDKs send it.
    static let apiVersion = "2010-03-31"

    let topicArn: String
    let configuration: AWSConfiguration
    private let component: String
    private let client: AWSClient

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration)
    }

    /// Checks the configuration; no I/O.
    init(configuration: DriverConfiguration) throws {
        let metadata = ComponentMetadata(configuration, fields: SNSDriver.fields)
        component = configuration.componentName
        topicArn = try metadata.required(SNSKey.topicArn)
        self.configuration = try AWSConfiguration(metadata, service: .sns)
        client = AWSClient(configuration: self.configuration, service: .sns, component: component, insecureTLS: false)
    }

    func start() async throws {
        try client.start()
    }

    /// `create`: publishes the data's message (and subject) to the topic; no response (204).
    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard request.operation == "create" else {
            throw DriverError(
                .unsupported,
                "binding \(component) does not support operation \(request.operation). supported operations:create")
        }
        let publication = try SNSPublication(data: request.data, component: component)
        let timeout = try RequestDeadline.milliseconds(left: request.deadline, prefix: component)
        do {
            // Not idempotent: retried only when it cannot have been applied, never published twice.
            _ = try await client.query(
                "Publish", version: SNSDriver.apiVersion, publication.parameters(topicArn: topicArn),
                timeoutMilliseconds: timeout, idempotent: false)
        } catch {
            throw error.driverError(component, about: "topic \"\(topicArn)\"")
        }
        return nil
    }

    func stop() async {
        await client.stop()
    }
}

/// The driver this library exports (Plugins/aws-sns/Entry).
public let exportedDriver: any BindingDriver.Type = SNSDriver.self
