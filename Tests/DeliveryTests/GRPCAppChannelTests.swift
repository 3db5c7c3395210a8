import BinderyCore
import BinderyGRPC
import DriverTesting
import Foundation
import Testing

@testable import Delivery

/// GRPCAppChannel and Delivery against a real gRPC app written with the Dapr Python SDK
/// (`dapr.ext.grpc.App`, `@app.binding`).
@Suite struct GRPCAppChannelTests {
    static let app: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.path + "/Fixtures/binding_app.py"
    }()

    /// The app, not started, on a free port; it records events in `<directory>/events`.
    private func makeApp() throws -> ServerProcess {
        try ServerProcess(name: "grpc-app", program: "/usr/bin/env") { port, directory in
            ["python3", Self.app, String(port), "\(directory)/events"]
        }
    }

    private func channel(_ app: ServerProcess) throws -> GRPCAppChannel {
        try GRPCAppChannel(
            target: .tcp(host: "127.0.0.1", port: app.port), appToken: "s3cret", probeTimeout: .seconds(5))
    }

    /// The events the app recorded, one JSON object each.
    private func recorded(_ app: ServerProcess) -> [[String: Any]] {
        let text = (try? String(contentsOfFile: "\(app.directory)/events", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func listInputBindingsSaysWhichBindingsTheAppServes() async throws {
        let app = try makeApp()
        try await app.start()
        let channel = try channel(app)
        #expect(try await onDedicatedThread { channel.probe(binding: "orders", route: "/orders") } == .subscribed)
        #expect(try await onDedicatedThread { channel.probe(binding: "audit", route: "/x") } == .subscribed)
        let other = try await onDedicatedThread { channel.probe(binding: "payments", route: "/payments") }
        #expect(other == .notSubscribed(reason: "ListInputBindings lists orders, audit"))
        #expect(channel.describe(binding: "orders", route: "/orders") == "OnBindingEvent orders")
    }

    @Test func theProbeWaitsForAnAppThatIsStillStarting() async throws {
        let app = try makeApp()
        let delivery = Delivery(channel: try channel(app), maxConcurrency: 2)
        let probing = Task { await delivery.probe("/orders", component: "orders", isCancelled: { false }) }
        try await Task.sleep(for: .milliseconds(300))
        try await app.start()
        #expect(await probing.value)
    }

    @Test func eventsAreAckedOrNackedWithDaprdsText() async throws {
        let app = try makeApp()
        try await app.start()
        let delivery = Delivery(channel: try channel(app), maxConcurrency: 4)
        let recorder = AcknowledgementRecorder()
        let events = [
            InputEvent(deliveryID: 1, data: Array("first".utf8), metadata: [("source", "cron")], contentType: ""),
            InputEvent(deliveryID: 2, data: Array("fail now".utf8), metadata: [], contentType: ""),
            InputEvent(
                deliveryID: 3, data: Array("third".utf8), metadata: [("k", "v1"), ("k", "v2")], contentType: ""),
        ]
        for event in events { delivery.deliver(event, route: "/orders", component: "orders", from: recorder) }
        try await eventually("three acknowledgements") { (1...3).allSatisfy { recorder.answer($0) != nil } }

        #expect(recorder.answer(1)?.kind == .ack)
        #expect(recorder.answer(3)?.kind == .ack)
        let nack = try #require(recorder.answer(2))
        #expect(nack.kind == .retry)
        #expect(
            nack.error
                == "error invoking app: rpc error: code = Unknown desc = Exception calling application: refusé: fail now"
        )

        let seen = recorded(app).sorted { ($0["text"] as? String ?? "") < ($1["text"] as? String ?? "") }
        #expect(seen.map { $0["text"] as? String } == ["fail now", "first", "third"])
        #expect(seen.allSatisfy { $0["binding"] as? String == "orders" && $0["token"] as? String == "s3cret" })
        #expect(seen[1]["metadata"] as? [String: String] == ["source": "cron"])
        #expect(seen[2]["metadata"] as? [String: String] == ["k": "v2"])
    }

    @Test func anAppThatIsDownNacksWithTheDialError() async throws {
        let app = try makeApp()
        let delivery = Delivery(channel: try channel(app), maxConcurrency: 1)
        let recorder = AcknowledgementRecorder()
        delivery.deliver(
            InputEvent(deliveryID: 7, data: [], metadata: [], contentType: ""), route: "/orders", component: "orders",
            from: recorder)
        try await eventually("the nack") { recorder.answer(7) != nil }
        let error = try #require(recorder.answer(7)?.error)
        #expect(error.hasPrefix("error invoking app: rpc error: code = Unavailable desc = connection error"))
        #expect(error.hasSuffix("connect: connection refused\""))
    }
}
