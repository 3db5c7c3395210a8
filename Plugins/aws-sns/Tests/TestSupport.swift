import DriverKit
import DriverTesting
import Foundation

@testable import SNSDriver

/// The moto server the tests of this process share (each test on topics and queues of its
/// own); tests that stop the server start their own.
func sharedMoto() async throws -> ServerProcess {
    try await ServerProcess.sharedMoto()
}

func endpoint(_ moto: ServerProcess) -> String { moto.endpointURL }

/// A topic or queue name no other test uses.
func uniqueName(_ label: String) -> String { ServerProcess.uniqueName(label) }

/// A started instance publishing to `topicArn` at `moto`, with `extra` metadata over the defaults.
func publisher(_ moto: ServerProcess, topicArn: String, _ extra: [String: String] = [:]) async throws -> SNSDriver {
    let metadata = [
        "topicArn": topicArn, "endpoint": endpoint(moto), "region": "us-east-1", "accessKey": "test",
        "secretKey": "test",
    ].merging(extra) { $1 }
    let driver = try SNSDriver(
        configuration: DriverConfiguration(
            componentName: "alerts", type: "bindings.aws.sns", directions: .output, metadata: metadata))
    try await driver.start()
    return driver
}

/// Runs `body`, then awaits `driver.stop()`, also when `body` throws: no long poll or client
/// thread of a test outlives it (nor the moto server it talks to).
@discardableResult
func withStopping<T>(_ driver: SNSDriver, _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        await driver.stop()
        return result
    } catch {
        await driver.stop()
        throw error
    }
}

extension SNSDriver {
    /// `create` with `data`.
    func publish(_ data: String) async throws {
        let response = try await invoke(InvokeRequest(operation: "create", data: Array(data.utf8)))
        if response != nil { throw TestFailure("create returned a response") }
    }
}

/// Topics, queues and subscriptions with boto3 (`ServerProcess.boto3`), off Swift's shared threads.
enum MotoTool {
    /// Runs `script` (which sees `client(service)` and `json`); what it printed, trimmed.
    @discardableResult
    static func python(_ moto: ServerProcess, _ script: String) async throws -> String {
        try await onDedicatedThread { try moto.boto3(script) }.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates topic `name` (or finds it); its ARN.
    static func createTopic(_ moto: ServerProcess, _ name: String) async throws -> String {
        try await python(moto, "print(client('sns').create_topic(Name='\(name)')['TopicArn'])")
    }

    /// Creates queue `queue` and subscribes it to `topicArn`: raw delivery (the message alone) or
    /// SNS's JSON envelope.
    static func subscribeQueue(_ moto: ServerProcess, _ queue: String, to topicArn: String, raw: Bool) async throws {
        let script = """
            sqs = client('sqs'); url = sqs.create_queue(QueueName='\(queue)')['QueueUrl']
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
            client('sns').subscribe(TopicArn='\(topicArn)', Protocol='sqs', Endpoint=arn,
                                    Attributes={'RawMessageDelivery': '\(raw ? "true" : "false")'})
            """
        try await python(moto, script)
    }

    /// A new topic with a new queue subscribed to it; the topic's ARN and the queue's name.
    static func topicWithQueue(_ moto: ServerProcess, raw: Bool) async throws -> (topicArn: String, queue: String) {
        let topicArn = try await createTopic(moto, uniqueName("topic"))
        let queue = uniqueName("fanout")
        try await subscribeQueue(moto, queue, to: topicArn, raw: raw)
        return (topicArn, queue)
    }

    /// Receives and deletes every visible message of `queue`; their bodies in the order received.
    static func drain(_ moto: ServerProcess, _ queue: String) async throws -> [String] {
        try await onDedicatedThread { try moto.sqsDrain(queue) }
    }
}
