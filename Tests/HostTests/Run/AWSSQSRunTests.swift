import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// bindings.aws.sqs through bindery (the real `bindery run`, the built .so, a component file
/// with `endpoint` at moto) and a Flask app that writes every delivery to a file (issue 12):
/// Dapr's HTTP API and the Python SDK's gRPC calls send, the input binding delivers, and the
/// deliveries are counted across nacks and a restart of bindery.
@Suite(.serialized) struct AWSSQSRunTests {
    static let app = "\(Paths.fixtures)/apps/sqs_app.py"

    /// One delivery the app recorded.
    struct Delivery {
        var path: String
        var body: String
        var answer: Int
    }

    /// Creates queue `name` in `moto` (a visibility timeout in seconds, when given).
    static func createQueue(_ moto: ServerProcess, _ name: String, visibilityTimeout: Int? = nil) throws {
        let attributes = visibilityTimeout.map { "{'VisibilityTimeout': '\($0)'}" } ?? "{}"
        _ = try moto.boto3("client('sqs').create_queue(QueueName='\(name)', Attributes=\(attributes))")
    }

    /// A resources folder with one sqs component `name` on `queue`.
    static func components(_ moto: ServerProcess, name: String, queue: String) throws -> String {
        let directory = try temporaryDirectory("sqs-components")
        try writeComponent(
            directory, name: name, type: "bindings.aws.sqs",
            metadata: [
                ("queueName", queue), ("endpoint", moto.endpointURL), ("region", "us-east-1"),
                ("accessKey", "test"), ("secretKey", "test"),
            ])
        return directory
    }

    /// `bindery run` serving `components` with the Flask app, which writes to `appLog`.
    static func start(_ components: String, appLog: String) async throws -> BinderyProcess {
        let bindery = try await BinderyProcess(
            ["--app-port", String(try freePort()), "--resources-path", components, "--", "python3", app],
            environment: ["SQS_APP_LOG": appLog])
        guard try await bindery.waitFor(status: 204, path: "/v1.0/healthz") else {
            bindery.stop()
            throw TestFailure("bindery never became healthy; its log:\n\(bindery.log)")
        }
        return bindery
    }

    /// What the app has recorded so far.
    static func deliveries(_ appLog: String) -> [Delivery] {
        let text = (try? String(contentsOfFile: appLog, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return nil
            }
            return Delivery(
                path: entry["path"] as? String ?? "", body: entry["body"] as? String ?? "",
                answer: entry["answer"] as? Int ?? 0)
        }
    }

    /// The `id` of a `{"id":N}` body.
    static func id(_ body: String) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            return nil
        }
        return object["id"] as? Int
    }

    @Test func createThroughTheHTTPAPIReachesTheFlaskAppThroughTheQueue() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let queue = ServerProcess.uniqueName("run")
        try Self.createQueue(moto, queue)
        let appLog = "\(try temporaryDirectory("sqs-app"))/deliveries.jsonl"
        let bindery = try await Self.start(try Self.components(moto, name: "orders", queue: queue), appLog: appLog)
        defer { bindery.stop() }
        for id in 0..<50 {
            let answer = try await bindery.invoke("orders", "create", data: "{\"id\":\(id)}")
            #expect(answer.status == 204, "\(answer.text)")
        }
        try await eventually("50 deliveries", timeout: .seconds(60)) { Self.deliveries(appLog).count >= 50 }
        let deliveries = Self.deliveries(appLog)
        #expect(deliveries.compactMap { Self.id($0.body) }.sorted() == Array(0..<50))
        #expect(deliveries.allSatisfy { $0.path == "/orders" && $0.answer == 200 })
        try await eventually("the queue to be empty", timeout: .seconds(30)) {
            try moto.sqsCount(queue) == 0
        }
        let unknown = try await bindery.invoke("orders", "get")
        #expect(unknown.status == 500)
    }

    @Test func aQueueThatDoesNotExistAnswers500NamingIt() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let appLog = "\(try temporaryDirectory("sqs-app"))/deliveries.jsonl"
        let bindery = try await Self.start(
            try Self.components(moto, name: "nowhere", queue: "no-such-queue"), appLog: appLog)
        defer { bindery.stop() }
        let answer = try await bindery.invoke("nowhere", "create", data: "{\"id\":1}")
        #expect(answer.status == 500)
        let message = answer.json?["message"] as? String ?? ""
        #expect(message.hasPrefix("error invoking output binding nowhere: nowhere: "), "\(message)")
        #expect(message.contains("queue \"no-such-queue\""), "\(message)")
        #expect(message.contains("api error AWS.SimpleQueueService.NonExistentQueue: "), "\(message)")
    }

    @Test func everyMessageArrivesAcrossNacksAndDuplicatesAreCounted() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let queue = ServerProcess.uniqueName("flaky")
        try Self.createQueue(moto, queue)
        let appLog = "\(try temporaryDirectory("sqs-app"))/deliveries.jsonl"
        let bindery = try await Self.start(try Self.components(moto, name: "flaky", queue: queue), appLog: appLog)
        defer { bindery.stop() }
        for id in 0..<200 {
            #expect(try await bindery.invoke("flaky", "create", data: "{\"id\":\(id)}").status == 204)
        }
        // The app fails the first delivery of every id divisible by 3 (67 of them).
        try await eventually("200 successful deliveries", timeout: .seconds(90)) {
            Self.deliveries(appLog).filter { $0.answer == 200 }.count >= 200
        }
        let deliveries = Self.deliveries(appLog)
        let succeeded = deliveries.filter { $0.answer == 200 }.compactMap { Self.id($0.body) }
        let failed = deliveries.filter { $0.answer == 500 }.compactMap { Self.id($0.body) }
        #expect(Set(succeeded) == Set(0..<200), "every message arrived")
        #expect(succeeded.count == 200, "each acknowledged once; duplicates: \(succeeded.count - Set(succeeded).count)")
        #expect(failed.sorted() == (0..<200).filter { $0 % 3 == 0 }, "each nacked once and redelivered")
        try await eventually("the queue to be empty", timeout: .seconds(30)) {
            try moto.sqsCount(queue) == 0
        }
    }

    @Test func noMessageIsLostAcrossARestartOfBindery() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let queue = ServerProcess.uniqueName("restart")
        // A short visibility timeout: a message a stopped poll had received comes back soon.
        try Self.createQueue(moto, queue, visibilityTimeout: 5)
        let appLog = "\(try temporaryDirectory("sqs-app"))/deliveries.jsonl"
        let components = try Self.components(moto, name: "slow", queue: queue)
        let first = try await Self.start(components, appLog: appLog)
        for id in 0..<300 {
            #expect(try await first.invoke("slow", "create", data: "{\"id\":\(id)}").status == 204)
        }
        // The app takes 20 ms per message: stop bindery while messages are in flight.
        try await eventually("some deliveries", timeout: .seconds(60)) { Self.deliveries(appLog).count >= 30 }
        first.stop()
        let beforeRestart = Self.deliveries(appLog).count
        #expect(beforeRestart < 300, "bindery stopped with messages still queued")
        let second = try await Self.start(components, appLog: appLog)
        defer { second.stop() }
        try await eventually("every id delivered", timeout: .seconds(120)) {
            Set(Self.deliveries(appLog).filter { $0.answer == 200 }.compactMap { Self.id($0.body) }).count == 300
        }
        let ids = Self.deliveries(appLog).filter { $0.answer == 200 }.compactMap { Self.id($0.body) }
        let duplicates = ids.count - Set(ids).count
        print(
            "sqs restart: \(beforeRestart) deliveries before the restart, \(ids.count) in all, \(duplicates) duplicates"
        )
        // At most the message the app was answering when bindery got SIGTERM: the app recorded
        // it, but its answer may not have reached the stopping bindery.
        #expect(duplicates <= 1, "duplicates: \(duplicates)")
        try await eventually("the queue to be empty", timeout: .seconds(30)) {
            try moto.sqsCount(queue) == 0
        }
    }

    @Test(.timeLimit(.minutes(2))) func thePythonSDKsInvokeBindingSendsThroughGRPC() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let queue = ServerProcess.uniqueName("sdk")
        try Self.createQueue(moto, queue)
        let out = "\(try temporaryDirectory("sqs-sdk"))/out.json"
        let bindery = try await BinderyProcess(
            [
                "--resources-path", try Self.components(moto, name: "orders", queue: queue), "--", "python3",
                "\(Paths.fixtures)/apps/aws_sdk_client.py", "orders", out, "{\"via\":\"sync\"}", "{\"via\":\"async\"}",
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
        #expect(try moto.sqsDrain(queue).sorted() == ["{\"via\":\"async\"}", "{\"via\":\"sync\"}"])
    }

    /// Input to a gRPC app on the Python SDK's `dapr.ext.grpc.App` (Fixtures/apps/grpc_app.py,
    /// whose `ticks` handler records and whose `failing` handler raises).
    @Test(.timeLimit(.minutes(2))) func aGRPCAppReceivesTheQueueAndARaisingHandlerKeepsItsMessage() async throws {
        let moto = try await ServerProcess.sharedMoto()
        let (ticks, failing) = (ServerProcess.uniqueName("ticks"), ServerProcess.uniqueName("failing"))
        try Self.createQueue(moto, ticks)
        try Self.createQueue(moto, failing)
        let directory = try temporaryDirectory("sqs-grpc")
        for (name, queue) in [("ticks", ticks), ("failing", failing)] {
            try writeComponent(
                directory, name: name, type: "bindings.aws.sqs",
                metadata: [
                    ("queueName", queue), ("endpoint", moto.endpointURL), ("region", "us-east-1"),
                    ("accessKey", "test"),
                    ("secretKey", "test"), ("direction", "input"),
                ])
        }
        let out = "\(try temporaryDirectory("sqs-grpc-out"))/events.jsonl"
        let bindery = try await BinderyProcess(
            [
                "--app-port", String(try freePort()), "--app-protocol", "grpc", "--resources-path", directory, "--",
                "python3", "\(Paths.fixtures)/apps/grpc_app.py", out,
            ])
        defer { bindery.stop() }
        let bodies = (0..<10).map { "{\"id\":\($0)}" }
        let list = String(decoding: try JSONSerialization.data(withJSONObject: bodies), as: UTF8.self)
        for queue in [ticks, failing] {
            _ = try moto.boto3(
                """
                sqs = client('sqs'); url = sqs.get_queue_url(QueueName='\(queue)')['QueueUrl']
                for body in json.loads(r'''\(list)'''): sqs.send_message(QueueUrl=url, MessageBody=body)
                """)
        }
        var lines: [String] = []
        try await eventually("10 events in \(out); log:\n\(bindery.log)", timeout: .seconds(60)) {
            lines = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            return lines.count >= 10
        }
        let received = lines.compactMap { line -> String? in
            guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let hex = event["data"] as? String
            else { return nil }
            return String(decoding: hexBytes(hex), as: UTF8.self)
        }
        #expect(received.sorted() == bodies.sorted())
        try await eventually("the ticks queue to be empty", timeout: .seconds(30)) { try moto.sqsCount(ticks) == 0 }
        // Every delivery of `failing` raises: its messages are released again and again, never deleted.
        try await eventually("failed deliveries of `failing`", timeout: .seconds(30)) {
            let metadata = try await bindery.request("GET", "/v1.0/metadata").json
            let components = metadata?["components"] as? [[String: Any]]
            let counts = components?.first { $0["name"] as? String == "failing" }?["deliveries"] as? [String: Int]
            return (counts?["failed"] ?? 0) >= 20
        }
        #expect(try moto.sqsCount(failing) == 10, "nothing of `failing` was deleted")
    }

    @Test func validateCatchesAMissingQueueName() throws {
        let components = try temporaryDirectory("sqs-validate")
        try writeComponent(components, name: "orders", type: "bindings.aws.sqs", metadata: [("region", "us-east-1")])
        let result = try run(try Paths.bindery, ["validate", "--resources-path", components])
        #expect(result.status == 1)
        #expect(result.stdout.contains("queueName"), "\(result.stdout)")
        #expect(result.stdout.contains("orders"), "\(result.stdout)")
    }
}
