import DriverTesting
import Foundation
import HostTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// bindings.rabbitmq through bindery (the real `bindery run`, the built .so, a component file)
/// against the shared real rabbitmq-server and a Flask app (issue 11).
@Suite(.serialized) struct RabbitMQRunTests {
    static let flaskApp = "\(Paths.fixtures)/apps/flask_app.py"

    /// bindery with one rabbitmq component `name` on a queue of its own, serving the Flask app;
    /// returns once a warm-up message went through create and came back to the app.
    private func start(_ broker: ServerProcess, name: String) async throws -> (BinderyProcess, Int) {
        let components = try temporaryDirectory("rabbitmq-components")
        try writeComponent(
            components, name: name, type: "bindings.rabbitmq",
            metadata: [
                ("host", broker.amqpURL), ("queueName", ServerProcess.uniqueQueueName(name)), ("durable", "true"),
                ("prefetchCount", "20"),
            ])
        let appPort = try freePort()
        let bindery = try await BinderyProcess([
            "--app-port", String(appPort), "--resources-path", components, "--", "python3", Self.flaskApp,
        ])
        guard try await bindery.waitFor(status: 204, path: "/v1.0/healthz") else {
            _ = bindery.stop()
            throw TestFailure("bindery never became healthy; its log:\n\(bindery.log)")
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            _ = try await bindery.invoke(name, "create", data: "{\"warmup\":1}")
            if try await received(appPort, path: "/\(name)").count >= 1 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        return (bindery, appPort)
    }

    private func received(_ appPort: Int, path: String) async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(appPort)/seen")!)
        let all = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return all.filter { $0["path"] as? String == path && $0["method"] as? String == "POST" }
    }

    /// The ids of the app's deliveries on `path` (warm-ups left out), once it has `count`.
    private func ids(_ appPort: Int, path: String, count: Int) async throws -> [Int] {
        var found: [Int] = []
        try await eventually("\(count) deliveries on \(path)", timeout: .seconds(60)) {
            found = try await received(appPort, path: path).compactMap { event in
                guard let body = event["body"] as? String, body.hasPrefix("{\"id\":") else { return nil }
                return Int(body.dropFirst(6).dropLast())
            }
            return found.count >= count
        }
        return found
    }

    @Test func createThroughTheAPIReachesTheFlaskAppWithItsMetadata() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let (bindery, appPort) = try await start(broker, name: "orders")
        defer { _ = bindery.stop() }
        for id in 0..<50 {
            let response = try await bindery.invoke(
                "orders", "create", data: "{\"id\":\(id)}", metadata: ["source": "api", "priority": "1"])
            #expect(response.status == 204, "\(response.text)")
        }
        let ids = try await ids(appPort, path: "/orders", count: 50)
        #expect(ids.sorted() == Array(0..<50) && ids.count == 50)
        let event = try #require(try await received(appPort, path: "/orders").last)
        let headers = event["headers"] as? [String: String] ?? [:]
        let header = { (name: String) in headers.first { $0.key.lowercased() == name }?.value }
        #expect(header("source") == "api" && header("priority") == "1")
        #expect(header("content-type") == "application/json")
        let unknown = try await bindery.invoke("orders", "get")
        #expect(unknown.status == 500)
        #expect(
            unknown.json?["message"] as? String
                == "error invoking output binding orders: binding orders does not support operation get. supported operations:create"
        )
    }

    @Test func aFailedDeliveryIsRequeuedAndEveryMessageArrives() async throws {
        let broker = try await ServerProcess.sharedRabbitMQ()
        let (bindery, appPort) = try await start(broker, name: "flaky")
        defer { _ = bindery.stop() }
        for id in 0..<200 {
            #expect(try await bindery.invoke("flaky", "create", data: "{\"id\":\(id)}").status == 204)
        }
        // The app fails the first delivery of ids 0 and 100: they are requeued and come again.
        let ids = try await ids(appPort, path: "/flaky", count: 202)
        #expect(Set(ids) == Set(0..<200))
        #expect(ids.count == 202, "exactly the two failed deliveries were repeated, got \(ids.count - 200)")
    }

    @Test func validateCatchesAMissingQueueName() throws {
        let components = try temporaryDirectory("rabbitmq-validate")
        try writeComponent(
            components, name: "orders", type: "bindings.rabbitmq", metadata: [("host", "amqp://localhost")])
        let result = try run(try Paths.bindery, ["validate", "--resources-path", components])
        #expect(result.status == 1)
        #expect(result.stdout.contains("queueName"), "\(result.stdout)")
        #expect(result.stdout.contains("orders"), "\(result.stdout)")
    }
}
