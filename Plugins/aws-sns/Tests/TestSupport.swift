import DriverKit
import DriverTesting
import Foundation

@testable import SNSDriver

/// The moto server the tests of this process share (each test on topics and queues of its
/// own); tests that stop the server start their own.
func sharedMoto() async throws -> ServerProcess {
    try await sharedMotoServer.value
}

private let sharedMotoServer = Task { try await ServerProcess.moto() }

func endpoint(_ moto: ServerProcess) -> String { "http://\(moto.address)" }

/// A topic or queue name no other test uses.
func uniqueName(_ label: String) -> String {
    "\(label)-\(UInt32.random(in: 0...UInt32.max))"
}

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

extension SNSDriver {
    /// `create` with `data`.
    func publish(_ data: String) async throws {
        let response = try await invoke(InvokeRequest(operation: "create", data: Array(data.utf8)))
        if response != nil { throw TestFailure("create returned a response") }
    }
}

/// The aws-sqs driver's Tools/moto_tool.py: topics, queues and subscriptions with boto3.
enum MotoTool {
    static let path = "\(driverFolder())/../aws-sqs/Tools/moto_tool.py"

    @discardableResult
    static func run(_ moto: ServerProcess, _ arguments: [String]) async throws -> [String] {
        let endpoint = endpoint(moto)
        let result = try await onDedicatedThread {
            try DriverTesting.run("/usr/bin/env", ["python3", MotoTool.path, endpoint] + arguments)
        }
        guard result.status == 0 else {
            throw TestFailure("moto_tool \(arguments.prefix(2)) failed: \(result.stderr)")
        }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// A new topic with a new queue subscribed to it (raw delivery or SNS's JSON envelope);
    /// the topic's ARN and the queue's name.
    static func topicWithQueue(_ moto: ServerProcess, raw: Bool) async throws -> (topicArn: String, queue: String) {
        let topicArn = try await run(moto, ["create-topic", uniqueName("topic")]).first ?? ""
        let queue = uniqueName("fanout")
        try await run(moto, ["create-queue", queue])
        try await run(moto, ["subscribe", topicArn, queue, raw ? "raw" : "envelope"])
        return (topicArn, queue)
    }

    /// Receives and deletes every visible message of `queue`; their bodies.
    static func drain(_ moto: ServerProcess, _ queue: String) async throws -> [String] {
        let text = try await run(moto, ["drain", queue]).joined()
        return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]) ?? []
    }
}
