import DriverTesting
import Foundation
import HostTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Input delivery end to end: a real bindery, a cron component, and an app (Python's standard
/// library) that fails, goes down, comes back, or takes its time.
@Suite(.serialized) struct DeliveryRunTests {
    static let app = "\(Paths.fixtures)/apps/delivery_app.py"

    /// The app on a free port, answering the status in `<directory>/status` after `delay` seconds.
    private func startApp(status: Int, delay: Double = 0) async throws -> ServerProcess {
        let app = try ServerProcess(name: "app", program: "/usr/bin/env") { port, directory in
            try "\(status)".write(toFile: "\(directory)/status", atomically: true, encoding: .utf8)
            return ["python3", Self.app, String(port), "\(directory)/status", String(delay)]
        }
        try await app.start()
        return app
    }

    /// bindery delivering a cron component `name` on `schedule` to the app on `appPort`.
    private func cron(_ name: String, schedule: String, appPort: Int, flags: [String] = []) async throws
        -> BinderyProcess
    {
        let components = try temporaryDirectory(name)
        try writeComponent(
            components, name: name, type: "bindings.cron", metadata: [("schedule", schedule), ("direction", "input")])
        return try await BinderyProcess(["--app-port", String(appPort), "--resources-path", components] + flags)
    }

    /// The component's delivery counters in `/v1.0/metadata`.
    private func deliveries(_ bindery: BinderyProcess, _ name: String) async throws -> [String: Int] {
        let components = try await bindery.request("GET", "/v1.0/metadata").json?["components"] as? [[String: Any]]
        let entry = components?.first { $0["name"] as? String == name }
        return entry?["deliveries"] as? [String: Int] ?? [:]
    }

    private func stats(_ app: ServerProcess) async throws -> [String: Int] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://\(app.address)/stats")!)
        return try JSONSerialization.jsonObject(with: data) as? [String: Int] ?? [:]
    }

    /// The WARN lines bindery (`[name]`) and the component's driver (`[name type@version gen N]`)
    /// wrote about component `name`.
    private func warnings(_ bindery: BinderyProcess, _ name: String) -> [String] {
        bindery.log.split(separator: "\n").map(String.init).filter {
            $0.hasPrefix("WARN [\(name)]") || $0.hasPrefix("WARN [\(name) ")
        }
    }

    @Test(.timeLimit(.minutes(2))) func failedDeliveriesAreWarnedBoundedAndCounted() async throws {
        let app = try await startApp(status: 500)
        let start = ContinuousClock.now
        let bindery = try await cron("ticker", schedule: "@every 100ms", appPort: app.port)
        defer { bindery.stop() }

        try await eventually("10 failed deliveries (app answers 500)", timeout: .seconds(20)) {
            try await deliveries(bindery, "ticker")["failed", default: 0] >= 10
        }
        let first = try #require(warnings(bindery, "ticker").first)
        #expect(first.contains("status code: 500"), "\(first)")

        app.stop()  // the app is down: connections are refused
        let failedWhileUp = try await deliveries(bindery, "ticker")["failed", default: 0]
        try await eventually("10 more failed deliveries (app down)", timeout: .seconds(20)) {
            try await deliveries(bindery, "ticker")["failed", default: 0] >= failedWhileUp + 10
        }

        try "200".write(toFile: "\(app.directory)/status", atomically: true, encoding: .utf8)
        try await app.start()
        let delivered = try await deliveries(bindery, "ticker")["delivered", default: 0]
        try await eventually("10 deliveries once the app answers 200", timeout: .seconds(20)) {
            try await deliveries(bindery, "ticker")["delivered", default: 0] >= delivered + 10
        }

        // Failures not written yet come with the first success 10 s after the first line.
        try await eventually("the count of failures in the log", timeout: .seconds(20)) {
            warnings(bindery, "ticker").contains { $0.contains("deliveries to the app failed in the last") }
        }
        let counts = try await deliveries(bindery, "ticker")
        let lines = warnings(bindery, "ticker")
        let elapsed = seconds(since: start)
        // One line at the first failure, then at most one per 10 s.
        #expect(lines.count >= 2 && lines.count <= 1 + Int(elapsed / 10), "\(elapsed) s: \(lines)")
        #expect(counts["failed", default: 0] >= 20 && counts["failed", default: 0] > 5 * lines.count)
        #expect(counts["inFlight"] != nil)
    }

    @Test(.timeLimit(.minutes(2))) func ticksOverlapAsTheReadmeSays() async throws {
        // A tick every second to an app that takes 2.5 s: deliveries overlap (as in Dapr), three at once.
        let app = try await startApp(status: 200, delay: 2.5)
        let bindery = try await cron("slow", schedule: "@every 1s", appPort: app.port)
        defer { bindery.stop() }
        var mostInFlight = 0
        try await eventually("5 ticks at the app", timeout: .seconds(30)) {
            mostInFlight = max(mostInFlight, try await deliveries(bindery, "slow")["inFlight", default: 0])
            return try await stats(app)["received", default: 0] >= 5
        }
        #expect(try await stats(app)["most"] == 3)
        #expect(mostInFlight >= 2 && mostInFlight <= 3)
    }

    @Test(.timeLimit(.minutes(2))) func ticksBeyondTheHostsBoundAreSkippedWithAWarning() async throws {
        // --app-max-concurrency 1: one tick at the app, one waiting, the next skipped and logged.
        let app = try await startApp(status: 200, delay: 2.5)
        let bindery = try await cron(
            "bounded", schedule: "@every 1s", appPort: app.port, flags: ["--app-max-concurrency", "1"])
        defer { bindery.stop() }
        try await eventually("a skipped tick at WARN", timeout: .seconds(30)) {
            warnings(bindery, "bounded").contains { $0.contains("skipped") }
        }
        #expect(try await stats(app)["most"] == 1)
        #expect(try await deliveries(bindery, "bounded")["inFlight", default: 0] <= 2)
    }
}
