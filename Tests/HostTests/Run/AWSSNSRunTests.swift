import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// bindings.aws.sns through bindery, end to end (issue 12): the app publishes with `create`
/// (Dapr's HTTP API, or the Python SDK over gRPC) to a topic in moto, SNS fans the message out
/// to a subscribed SQS queue, and bindery's sqs input binding delivers it to the Flask app.
@Suite(.serialized) struct AWSSNSRunTests {
    /// A topic with two new queues subscribed to it, `queue` (raw delivery: the message alone)
    /// and `envelopes` (SNS's JSON envelope, which carries the subject), and a resources folder
    /// with `alerts` (sns, output) on the topic and `inbox` (sqs, input) on `queue`.
    private func fanOut(
        _ moto: ServerProcess
    ) throws -> (components: String, topicArn: String, queue: String, envelopes: String) {
        let queue = ServerProcess.uniqueName("inbox")
        let envelopes = ServerProcess.uniqueName("envelopes")
        let script = """
            topic = client('sns').create_topic(Name='\(ServerProcess.uniqueName("alerts"))')['TopicArn']
            sqs = client('sqs')
            for name, raw in (('\(queue)', 'true'), ('\(envelopes)', 'false')):
                url = sqs.create_queue(QueueName=name)['QueueUrl']
                arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
                client('sns').subscribe(TopicArn=topic, Protocol='sqs', Endpoint=arn, Attributes={'RawMessageDelivery': raw})
            print(topic)
            """
        let topicArn = try moto.boto3(script).trimmingCharacters(in: .whitespacesAndNewlines)
        let directory = try temporaryDirectory("sns-components")
        let aws = [
            ("endpoint", moto.endpointURL), ("region", "us-east-1"), ("accessKey", "test"),
            ("secretKey", "test"),
        ]
        try writeComponent(
            directory, name: "alerts", type: "bindings.aws.sns", metadata: [("topicArn", topicArn)] + aws)
        try writeComponent(
            directory, name: "inbox", type: "bindings.aws.sqs",
            metadata: [("queueName", queue), ("direction", "input")] + aws)
        return (directory, topicArn, queue, envelopes)
    }

    @Test func createFansOutThroughSQSToTheFlaskApp() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let (components, _, _, envelopes) = try fanOut(moto)
        let appLog = "\(try temporaryDirectory("sns-app"))/deliveries.jsonl"
        let bindery = try await AWSSQSRunTests.start(components, appLog: appLog)
        defer { bindery.stop() }
        for n in 0..<20 {
            let answer = try await bindery.invoke(
                "alerts", "create", data: "{\"message\":\"alert \(n)\",\"subject\":\"Disk\"}")
            #expect(answer.status == 204, "\(answer.text)")
        }
        try await eventually("20 deliveries", timeout: .seconds(60)) {
            AWSSQSRunTests.deliveries(appLog).count >= 20
        }
        let deliveries = AWSSQSRunTests.deliveries(appLog)
        #expect(Set(deliveries.map(\.body)) == Set((0..<20).map { "alert \($0)" }) && deliveries.count == 20)
        #expect(deliveries.allSatisfy { $0.path == "/inbox" })
        // The subject went with each message: SNS's envelope shows it.
        let subjects = try moto.sqsDrain(envelopes).compactMap { body in
            (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["Subject"] as? String
        }
        #expect(subjects == Array(repeating: "Disk", count: 20), "\(subjects)")

        let bad = try await bindery.invoke("alerts", "create", data: "\"no object\"")
        #expect(bad.status == 500)
        #expect(
            bad.json?["message"] as? String
                == "error invoking output binding alerts: alerts: cannot publish to SNS: json: cannot unmarshal string into Go value of type sns.dataPayload"
        )
    }

    @Test func aTopicThatDoesNotExistAnswers500() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let directory = try temporaryDirectory("sns-components")
        try writeComponent(
            directory, name: "alerts", type: "bindings.aws.sns",
            metadata: [
                ("topicArn", "arn:aws:sns:us-east-1:123456789012:nothing-here"), ("endpoint", moto.endpointURL),
                ("region", "us-east-1"), ("accessKey", "test"), ("secretKey", "test"),
            ])
        let bindery = try await BinderyProcess(["--resources-path", directory])
        defer { bindery.stop() }
        let answer = try await bindery.invoke("alerts", "create", data: "{\"message\":\"x\"}")
        #expect(answer.status == 500)
        let message = answer.json?["message"] as? String ?? ""
        #expect(message.hasPrefix("error invoking output binding alerts: alerts: "), "\(message)")
        #expect(message.contains("NotFound"), "\(message)")
        #expect(message.hasSuffix(" (topic \"arn:aws:sns:us-east-1:123456789012:nothing-here\")"), "\(message)")
    }

    @Test(.timeLimit(.minutes(2))) func thePythonSDKsInvokeBindingPublishesThroughGRPC() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let (components, _, queue, _) = try fanOut(moto)
        // Only the sns component: the messages stay in the queue for the test to read.
        try FileManager.default.removeItem(atPath: "\(components)/inbox.yaml")
        let out = "\(try temporaryDirectory("sns-sdk"))/out.json"
        let bindery = try await BinderyProcess(
            [
                "--resources-path", components, "--", "python3", "\(Paths.fixtures)/apps/aws_sdk_client.py", "alerts",
                out, "{\"message\":\"from sync\",\"subject\":\"s\"}", "{\"message\":\"from async\"}",
            ], waitReady: false)
        defer { bindery.stop() }
        try await eventually("the SDK app to write \(out); log:\n\(bindery.log)", timeout: .seconds(60)) {
            FileManager.default.fileExists(atPath: out)
        }
        let written = try #require(FileManager.default.contents(atPath: out))
        let seen = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        for step in ["sync", "async"] {
            let answer = try #require(seen[step] as? [String: Any], "\(seen)")
            #expect(answer["code"] == nil, "\(step): \(answer)")
        }
        #expect(try moto.sqsDrain(queue).sorted() == ["from async", "from sync"])
    }

    @Test func validateCatchesAMissingTopicArn() throws {
        let components = try temporaryDirectory("sns-validate")
        try writeComponent(components, name: "alerts", type: "bindings.aws.sns", metadata: [("region", "us-east-1")])
        let result = try run(try Paths.bindery, ["validate", "--resources-path", components])
        #expect(result.status == 1)
        #expect(result.stdout.contains("topicArn"), "\(result.stdout)")
        #expect(result.stdout.contains("alerts"), "\(result.stdout)")
    }
}
