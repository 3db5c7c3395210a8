import AWSKit
import DriverJSON
import DriverKit

/// `bindings.aws.dynamodb`: `create` puts the request's JSON object into the component's table
/// as one item (PutItem, AWS JSON 1.0), with the attribute types Dapr's binding gives it
/// (`AttributeValue`). Output only, as in Dapr.
final class DynamoDBDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.aws.dynamodb", version: "1.0.0",
        summary: "Puts each create request's JSON object into a DynamoDB table as an item (PutItem, SigV4).",
        directions: [.output],
        operations: ["create"],
        fields: DynamoDBDriver.fields)

    let settings: DynamoDBSettings
    private let component: String
    private let client: AWSClient

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration)
    }

    /// Checks the configuration; no I/O.
    init(configuration: DriverConfiguration) throws {
        settings = try DynamoDBSettings(configuration)
        component = configuration.componentName
        client = AWSClient(
            configuration: settings.aws, service: .dynamodb, component: component, insecureTLS: false)
    }

    /// Starts the client's transfer thread. No request is made: as in Dapr, the table is first
    /// touched by a create, so a missing table fails that request, naming the table.
    func start() async throws {
        try client.start()
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard request.operation == "create" else {
            throw DriverError(
                .unsupported,
                "\(component): bindings.aws.dynamodb does not support operation \"\(request.operation)\" (only create)")
        }
        let item: JSONValue
        do {
            item = try AttributeValue.item(fromJSON: request.data)
        } catch {
            throw DriverError(
                .invalidArgument,
                "\(component): bindings.aws.dynamodb create: the data is not an item: \(error.message)")
        }
        let body = JSONValue.object([
            JSONValue.Member(key: "TableName", value: .string(settings.table)),
            JSONValue.Member(key: "Item", value: item),
        ])
        let timeout = try RequestDeadline.milliseconds(left: request.deadline, component: component)
        do {
            _ = try await client.json("DynamoDB_20120810.PutItem", body, version: .v10, timeoutMilliseconds: timeout)
        } catch {
            throw error.driverError(component, about: "table \"\(settings.table)\"")
        }
        return nil
    }

    /// Cancels requests in flight and ends the client's thread.
    func stop() async {
        await client.stop()
    }
}

/// The driver this library exports (Plugins/aws-dynamodb/Entry).
public let exportedDriver: any BindingDriver.Type = DynamoDBDriver.self
