import DriverTesting
import Foundation
import HostTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// bindings.kafka through bindery against librdkafka's mock cluster (issue 11): the seed example
/// of Dapr's bindings overview unchanged, Dapr's metadata headers at a recording app, and
/// `bindery validate`.
@Suite(.serialized) struct KafkaRunTests {
    static let mockSource = "\(Paths.root)/Plugins/kafka/mock/kafka-mock.c"

    private func cluster(_ topics: [String: Int]) async throws -> ServerProcess {
        try await ServerProcess.kafkaMock(source: Self.mockSource, topics: topics)
    }

    /// Starts bindery with `components` and `app`; returns once input has its partitions
    /// (with initialOffset newest, a record produced before that would not be delivered).
    private func start(_ components: String, app: [String], component: String) async throws -> (BinderyProcess, Int) {
        let appPort = try freePort()
        let bindery = try await BinderyProcess(
            ["--app-port", String(appPort), "--resources-path", components, "--", "python3"]
                + app.map { $0 == "APP_PORT" ? String(appPort) : $0 })
        let deadline = ContinuousClock.now + .seconds(60)
        while !bindery.log.contains("bindings.kafka \(component): assigned partitions") {
            guard ContinuousClock.now < deadline else {
                bindery.stop()
                throw TestFailure("\(component) never got its partitions; bindery's log:\n\(bindery.log)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return (bindery, appPort)
    }

    @Test func theSeedExampleReceivesEveryRecordAndPublishes() async throws {
        let kafka = try await cluster(["someTopic": 1, "someTopic2": 1])
        defer { kafka.stop() }
        let components = try temporaryDirectory("kafka-seed")
        try writeComponent(
            components, name: "kafkaevent", type: "bindings.kafka",
            metadata: [
                ("brokers", kafka.kafkaBrokers), ("topics", "someTopic"), ("publishTopic", "someTopic2"),
                ("consumerGroup", "group1"), ("authType", "none"),
            ])
        let (bindery, _) = try await start(
            components, app: ["\(Paths.fixtures)/apps/kafka_seed_app.py"], component: "kafkaevent")
        defer { bindery.stop() }
        let hellos = { bindery.log.components(separatedBy: "Hello from Kafka!").count - 1 }
        // initialOffset newest: librdkafka looks the end offset up after the assignment, and a
        // record produced before that lookup is not delivered. Warm up until one arrives, then
        // wait until none is in flight (warm-ups go out a second apart).
        var warmups = 0
        try await eventually("a warm-up record at the app", timeout: .seconds(60)) {
            try await kafka.kafkaProduce(topic: "someTopic", ["{\"warmup\":\(warmups)}"])
            warmups += 1
            try await Task.sleep(for: .seconds(1))
            return hellos() > 0
        }
        var settled = hellos()
        try await eventually("the warm-ups to settle", timeout: .seconds(30)) {
            try await Task.sleep(for: .seconds(2))
            defer { settled = hellos() }
            return hellos() == settled
        }
        let count = 25
        try await kafka.kafkaProduce(topic: "someTopic", (0..<count).map { "{\"id\":\($0)}" })
        try await eventually("\(count) records at the app", timeout: .seconds(60)) { hellos() >= settled + count }
        try await Task.sleep(for: .seconds(1))
        #expect(hellos() == settled + count, "each record once")

        let created = try await bindery.invoke("kafkaevent", "create", data: "{\"message\":\"Hi!\"}")
        #expect(created.status == 204 || created.status == 200, "\(created.text)")
        #expect(try await kafka.kafkaRecords(topic: "someTopic2") == ["{\"message\":\"Hi!\"}"])
    }

    @Test func recordsArriveWithDaprsMetadataHeadersAndCreateSetsKeyAndHeaders() async throws {
        let kafka = try await cluster(["orders": 3, "audit": 1])
        defer { kafka.stop() }
        let components = try temporaryDirectory("kafka-headers")
        try writeComponent(
            components, name: "orders", type: "bindings.kafka",
            metadata: [
                ("brokers", kafka.kafkaBrokers), ("topics", "orders"), ("publishTopic", "audit"),
                ("consumerGroup", "bindery-orders"), ("authType", "none"), ("sessionTimeout", "6s"),
                ("heartbeatInterval", "500ms"), ("initialOffset", "oldest"),
            ])
        // Not Flask: Werkzeug drops request headers whose names hold an underscore (__key…).
        let (bindery, appPort) = try await start(
            components, app: ["\(Paths.fixtures)/apps/kafka_record_app.py", "APP_PORT"], component: "orders")
        defer { bindery.stop() }
        try await kafka.kafkaProduce(topic: "orders", ["order-7:{\"id\":7}"], keyed: true, headers: ["tenant": "acme"])
        var events: [[String: Any]] = []
        try await eventually("the record at the app", timeout: .seconds(30)) {
            events = try await received(appPort, path: "/orders")
            return !events.isEmpty
        }
        let headers = (events.first?["headers"] as? [String: String] ?? [:]).reduce(into: [String: String]()) {
            $0[$1.key.lowercased()] = $1.value
        }
        #expect(events.first?["body"] as? String == "{\"id\":7}")
        #expect(headers["__key"] == "order-7", "\(headers)")
        #expect(headers["__topic"] == "orders")
        #expect(headers["__offset"] == "0")
        #expect(headers["__partition"] != nil)
        #expect(headers["tenant"] == "acme")

        let created = try await bindery.invoke(
            "orders", "create", data: "\"audit me\"", metadata: ["partitionKey": "k9"])
        #expect(created.status == 204 || created.status == 200, "\(created.text)")
        #expect(
            try await kafka.kafkaRecords(topic: "audit", format: "%k|%s|%h\n") == ["k9|\"audit me\"|partitionKey=k9"])

        // Request metadata topic and key (issue 11): published to orders, so the input gets it back.
        let routed = try await bindery.invoke(
            "orders", "create", data: "\"routed\"", metadata: ["topic": "orders", "key": "k10"])
        #expect(routed.status == 204 || routed.status == 200, "\(routed.text)")
        var back: [String: String] = [:]
        try await eventually("the routed record at the app", timeout: .seconds(30)) {
            let event = try await received(appPort, path: "/orders").first { $0["body"] as? String == "\"routed\"" }
            back = (event?["headers"] as? [String: String] ?? [:]).reduce(into: [:]) {
                $0[$1.key.lowercased()] = $1.value
            }
            return event != nil
        }
        #expect(back["__key"] == "k10", "\(back)")
        #expect(back["__topic"] == "orders")
        #expect(back["topic"] == "orders", "request metadata still goes out as headers")
        #expect(try await kafka.kafkaRecords(topic: "audit").count == 1, "nothing more went to publishTopic")
    }

    /// Issue 11 item 5: two bindery processes in one consumer group share 10,000 records; one is
    /// stopped and started again mid-run. Every record arrives (at least once), and the
    /// duplicates the two rebalances cause stay within one per moved partition and rebalance.
    @Test func twoBinderyProcessesShareAGroupAcrossARestart() async throws {
        let kafka = try await cluster(["scale": 4])
        defer { kafka.stop() }
        let components = try temporaryDirectory("kafka-scale")
        try writeComponent(
            components, name: "scale", type: "bindings.kafka",
            metadata: [
                ("brokers", kafka.kafkaBrokers), ("topics", "scale"), ("consumerGroup", "scale-group"),
                ("authType", "none"), ("sessionTimeout", "6s"), ("heartbeatInterval", "500ms"),
                ("initialOffset", "oldest"),
            ])
        let files = try temporaryDirectory("kafka-scale-bodies")
        let app = { (name: String) in ["\(Paths.fixtures)/apps/kafka_record_app.py", "APP_PORT", "\(files)/\(name)"] }
        var (first, _) = try await start(components, app: app("a"), component: "scale")
        let (second, _) = try await start(components, app: app("b"), component: "scale")
        defer { second.stop() }
        let total = 10000
        for batch in 0..<20 {
            if batch == 6 {
                first.stop()
                (first, _) = try await start(components, app: app("c"), component: "scale")
            }
            // Keyed, so each batch spreads over the four partitions (keyless records stick to one).
            let ids = batch * 500..<(batch + 1) * 500
            try await kafka.kafkaProduce(topic: "scale", ids.map { "key-\($0):{\"id\":\($0)}" }, keyed: true)
        }
        defer { first.stop() }
        var ids: [Int] = []
        try await eventually("every record at one of the apps", timeout: .seconds(180)) {
            ids = try ["a", "b", "c"].flatMap { name -> [Int] in
                let text = (try? String(contentsOfFile: "\(files)/\(name)", encoding: .utf8)) ?? ""
                return text.split(separator: "\n").compactMap { Int($0.dropFirst(6).dropLast()) }
            }
            return Set(ids).isSuperset(of: 0..<total)
        }
        let duplicates = ids.count - total
        // The figure the kafka README quotes (issue 11 item 5 asks for it to be counted).
        print("kafka scale-out: \(total) records, \(duplicates) delivered twice across the stop and the restart")
        #expect(duplicates <= 16, "\(duplicates) duplicates across the stop and the restart")
    }

    @Test func validateCatchesAMissingBrokersField() throws {
        let components = try temporaryDirectory("kafka-validate")
        try writeComponent(
            components, name: "kafkaevent", type: "bindings.kafka",
            metadata: [("topics", "someTopic"), ("consumerGroup", "group1"), ("authType", "none")])
        let result = try run(try Paths.bindery, ["validate", "--resources-path", components])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\"brokers\""), "\(result.stdout)\(result.stderr)")
    }

    private func received(_ appPort: Int, path: String) async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(appPort)/_received")!)
        let all = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return all.filter { $0["path"] as? String == path && $0["method"] as? String == "POST" }
    }
}
