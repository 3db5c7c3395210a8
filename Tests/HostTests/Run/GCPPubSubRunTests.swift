import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// bindings.gcp.pubsub through bindery (the real `bindery run`, the built .so, a component file
/// as a Dapr user writes it, with PUBSUB_EMULATOR_HOST pointing at Google's emulator) and a
/// Flask app that writes every delivery to a file (issue 13): Dapr's HTTP API and the Python
/// SDK's gRPC calls publish, the input binding delivers, and the deliveries are counted across
/// nacks and a restart of bindery.
@Suite(.serialized) struct GCPPubSubRunTests {
    static let app = "\(Paths.fixtures)/apps/pubsub_app.py"

    /// One delivery the app recorded.
    struct Delivery {
        var path: String
        var body: String
        var answer: Int
        var id: String
        var publishTime: String
    }

    /// A resources folder with one gcp.pubsub component `name` on `topic` and `subscription`
    /// (created in `emulator`, the subscription with `ackDeadline` seconds), without any
    /// endpoint: bindery finds the emulator through PUBSUB_EMULATOR_HOST, as Google's clients do.
    static func components(
        _ emulator: ServerProcess, name: String, topic: String, subscription: String, ackDeadline: Int = 10,
        create: Bool = true
    ) throws -> String {
        if create {
            try emulator.pubSubCreate(topic: topic, subscription: subscription, ackDeadlineSeconds: ackDeadline)
        }
        let directory = try temporaryDirectory("pubsub-components")
        try writeComponent(
            directory, name: name, type: "bindings.gcp.pubsub",
            metadata: [("topic", topic), ("subscription", subscription), ("projectID", ServerProcess.pubSubProject)])
        return directory
    }

    /// `bindery run` serving `components` with the Flask app, which writes to `appLog`.
    static func start(_ components: String, _ emulator: ServerProcess, appLog: String) async throws -> BinderyProcess {
        let bindery = try await BinderyProcess(
            ["--app-port", String(try freePort()), "--resources-path", components, "--", "python3", app],
            environment: ["PUBSUB_APP_LOG": appLog, "PUBSUB_EMULATOR_HOST": emulator.pubSubEmulatorHost])
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
                answer: entry["answer"] as? Int ?? 0, id: entry["id"] as? String ?? "",
                publishTime: entry["publishTime"] as? String ?? "")
        }
    }

    /// The `id` of a `{"id":N}` body.
    static func id(_ body: String) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            return nil
        }
        return object["id"] as? Int
    }

    @Test func createThroughTheHTTPAPIReachesTheFlaskAppThroughTheSubscription() async throws {
        let emulator = try await ServerProcess.sharedPubSubEmulator()
        let (topic, subscription) = (ServerProcess.uniqueName("run"), ServerProcess.uniqueName("run-sub"))
        let appLog = "\(try temporaryDirectory("pubsub-app"))/deliveries.jsonl"
        let components = try Self.components(emulator, name: "orders", topic: topic, subscription: subscription)
        let bindery = try await Self.start(components, emulator, appLog: appLog)
        defer { bindery.stop() }
        for id in 0..<50 {
            let answer = try await bindery.invoke("orders", "create", data: "{\"id\":\(id)}")
            #expect(answer.status == 204, "\(answer.text)")
        }
        try await eventually("50 deliveries", timeout: .seconds(60)) { Self.deliveries(appLog).count >= 50 }
        let deliveries = Self.deliveries(appLog)
        #expect(deliveries.compactMap { Self.id($0.body) }.sorted() == Array(0..<50))
        #expect(deliveries.allSatisfy { $0.path == "/orders" && $0.answer == 200 })
        // Dapr's metadata, as headers: the message id and Go's printing of the publish time.
        #expect(Set(deliveries.map(\.id)).count == 50)
        #expect(
            deliveries.allSatisfy { $0.publishTime.hasSuffix(" +0000 UTC") }, "\(deliveries.first?.publishTime ?? "")")
        // Everything acknowledged: nothing comes back once the 10 s ack deadline has passed.
        try await Task.sleep(for: .seconds(11))
        #expect(Self.deliveries(appLog).count == 50)
        #expect(try emulator.pubSubDrain(subscription).isEmpty)
        let unknown = try await bindery.invoke("orders", "get")
        #expect(unknown.status == 500)
    }

    @Test func aTopicThatDoesNotExistAnswers500NamingIt() async throws {
        let emulator = try await ServerProcess.sharedPubSubEmulator()
        let appLog = "\(try temporaryDirectory("pubsub-app"))/deliveries.jsonl"
        let components = try Self.components(
            emulator, name: "nowhere", topic: "no-such-topic", subscription: "no-such-subscription", create: false)
        let bindery = try await Self.start(components, emulator, appLog: appLog)
        defer { bindery.stop() }
        let answer = try await bindery.invoke("nowhere", "create", data: "{\"id\":1}")
        #expect(answer.status == 500)
        let message = answer.json?["message"] as? String ?? ""
        #expect(
            message
                == "error invoking output binding nowhere: nowhere: publish to topic \"projects/\(ServerProcess.pubSubProject)/topics/no-such-topic\": NOT_FOUND: Topic not found (HTTP 404)",
            "\(message)")
    }

    @Test func requestMetadataTopicOverridesTheComponentsTopic() async throws {
        let emulator = try await ServerProcess.sharedPubSubEmulator()
        let (other, otherSubscription) = (ServerProcess.uniqueName("other"), ServerProcess.uniqueName("other-sub"))
        try emulator.pubSubCreate(topic: other, subscription: otherSubscription)
        let appLog = "\(try temporaryDirectory("pubsub-app"))/deliveries.jsonl"
        let components = try Self.components(
            emulator, name: "orders", topic: ServerProcess.uniqueName("main"),
            subscription: ServerProcess.uniqueName("main-sub"))
        let bindery = try await Self.start(components, emulator, appLog: appLog)
        defer { bindery.stop() }
        let answer = try await bindery.invoke("orders", "create", data: "\"elsewhere\"", metadata: ["topic": other])
        #expect(answer.status == 204, "\(answer.text)")
        #expect(try emulator.pubSubDrain(otherSubscription) == ["\"elsewhere\""])
    }

    @Test func everyMessageArrivesAcrossNacksAndDuplicatesAreCounted() async throws {
        let emulator = try await ServerProcess.sharedPubSubEmulator()
        let (topic, subscription) = (ServerProcess.uniqueName("flaky"), ServerProcess.uniqueName("flaky-sub"))
        let appLog = "\(try temporaryDirectory("pubsub-app"))/deliveries.jsonl"
        let components = try Self.components(emulator, name: "flaky", topic: topic, subscription: subscription)
        let bindery = try await Self.start(components, emulator, appLog: appLog)
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
        #expect(try emulator.pubSubDrain(subscription).isEmpty)
    }

    @Test func noMessageIsLostAcrossARestartOfBindery() async throws {
        let emulator = try await ServerProcess.sharedPubSubEmulator()
        let (topic, subscription) = (ServerProcess.uniqueName("restart"), ServerProcess.uniqueName("restart-sub"))
        let appLog = "\(try temporaryDirectory("pubsub-app"))/deliveries.jsonl"
        // The shortest ack deadline: a message a cut pull had taken comes back within 10 s.
        let components = try Self.components(emulator, name: "slow", topic: topic, subscription: subscription)
        let first = try await Self.start(components, emulator, appLog: appLog)
        for id in 0..<300 {
            #expect(try await first.invoke("slow", "create", data: "{\"id\":\(id)}").status == 204)
        }
        // The app takes 20 ms per message: stop bindery while messages are in flight.
        try await eventually("some deliveries", timeout: .seconds(60)) { Self.deliveries(appLog).count >= 30 }
        first.stop()
        let beforeRestart = Self.deliveries(appLog).count
        #expect(beforeRestart < 300, "bindery stopped with messages still in the subscription")
        let second = try await Self.start(components, emulator, appLog: appLog)
        defer { second.stop() }
        try await eventually("every id delivered", timeout: .seconds(120)) {
            Set(Self.deliveries(appLog).filter { $0.answer == 200 }.compactMap { Self.id($0.body) }).count == 300
        }
        let ids = Self.deliveries(appLog).filter { $0.answer == 200 }.compactMap { Self.id($0.body) }
        let duplicates = ids.count - Set(ids).count
        print(
            "gcp.pubsub restart: \(beforeRestart) deliveries before the restart, \(ids.count) in all, \(duplicates) duplicates"
        )
        // At most the message the app was answering when bindery got SIGTERM: the app recorded
        // it, but its answer may not have reached the stopping bindery.
        #expect(duplicates <= 1, "duplicates: \(duplicates)")
        #expect(try emulator.pubSubDrain(subscription).isEmpty)
    }

    @Test(.timeLimit(.minutes(2))) func thePythonSDKsInvokeBindingPublishesThroughGRPC() async throws {
        let emulator = try await ServerProcess.sharedPubSubEmulator()
        let (topic, subscription) = (ServerProcess.uniqueName("sdk"), ServerProcess.uniqueName("sdk-sub"))
        let out = "\(try temporaryDirectory("pubsub-sdk"))/out.json"
        let components = try Self.components(emulator, name: "orders", topic: topic, subscription: subscription)
        // Output only: the test reads the subscription itself.
        try String(contentsOfFile: "\(components)/orders.yaml", encoding: .utf8)
            .appending("    - name: direction\n      value: \"output\"\n")
            .write(toFile: "\(components)/orders.yaml", atomically: true, encoding: .utf8)
        let bindery = try await BinderyProcess(
            [
                "--resources-path", components, "--", "python3", "\(Paths.fixtures)/apps/aws_sdk_client.py", "orders",
                out, "{\"via\":\"sync\"}", "{\"via\":\"async\"}",
            ], environment: ["PUBSUB_EMULATOR_HOST": emulator.pubSubEmulatorHost], waitReady: false)
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
        #expect(try emulator.pubSubDrain(subscription).sorted() == ["{\"via\":\"async\"}", "{\"via\":\"sync\"}"])
    }

    @Test func validateCatchesAMissingTopic() throws {
        let components = try temporaryDirectory("pubsub-validate")
        try writeComponent(
            components, name: "orders", type: "bindings.gcp.pubsub",
            metadata: [("subscription", "orders-sub"), ("projectID", "my-project")])
        let result = try run(try Paths.bindery, ["validate", "--resources-path", components])
        #expect(result.status == 1)
        #expect(result.stdout.contains("topic"), "\(result.stdout)")
        #expect(result.stdout.contains("orders"), "\(result.stdout)")
    }
}
