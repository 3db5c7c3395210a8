import DriverTesting
import Foundation
import Glibc
import HostTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `bindery run` stopping with a request in flight, as a container runtime or a terminal stops
/// it: the request is answered, health and new requests say the sidecar is shutting down, a
/// second signal ends it at once and `--dapr-graceful-shutdown-seconds` bounds the wait.
@Suite(.serialized) struct ShutdownTests {
    /// An HTTP server that holds every request until the test releases it.
    private func heldServer() async throws -> ServerProcess {
        let script = "\(Paths.fixtures)/apps/held_target.py"
        return try await ServerProcess.started {
            try ServerProcess(name: "held", program: "/usr/bin/env") { port, _ in ["python3", script, String(port)] }
        }
    }

    private func ask(_ server: ServerProcess, _ method: String, _ path: String) async throws -> String {
        var request = URLRequest(url: URL(string: "http://\(server.address)\(path)")!)
        request.httpMethod = method
        let (data, _) = try await URLSession.shared.data(for: request)
        return String(decoding: data, as: UTF8.self)
    }

    /// bindery serving http component "slow" (to `server`), with one request held there.
    private func binderyHoldingARequest(_ server: ServerProcess, flags: [String] = []) async throws -> (
        BinderyProcess, Task<BinderyProcess.Answer, any Error>
    ) {
        let components = try temporaryDirectory("shutdown")
        try writeComponent(
            components, name: "slow", type: "bindings.http", metadata: [("url", "http://\(server.address)")])
        let bindery = try await BinderyProcess(["--resources-path", components] + flags)
        let inFlight = Task { try await bindery.invoke("slow", "post", metadata: ["path": "/held"]) }
        try await eventually("the request to reach the held server") { try await ask(server, "GET", "/_held") == "1" }
        return (bindery, inFlight)
    }

    private func send(_ signal: Int32, to bindery: BinderyProcess) {
        kill(bindery.process.processIdentifier, signal)
    }

    private func waitForExit(_ bindery: BinderyProcess, timeout: Duration) async throws -> Int32 {
        try await eventually("bindery to exit", timeout: timeout) { !bindery.process.isRunning }
        return bindery.process.terminationStatus
    }

    /// SIGHUP (a closed terminal, `kill -HUP`) used to kill bindery with the request in flight.
    @Test(arguments: [SIGTERM, SIGHUP])
    func aRequestInFlightIsAnsweredAndNewOnesAreToldTheSidecarIsShuttingDown(signal: Int32) async throws {
        let server = try await heldServer()
        let (bindery, inFlight) = try await binderyHoldingARequest(
            server, flags: ["--dapr-graceful-shutdown-seconds", "60"])
        defer { bindery.stop() }
        send(signal, to: bindery)
        try await eventually("/v1.0/healthz/outbound to stop answering 204", timeout: .seconds(5)) {
            try await bindery.request("GET", "/v1.0/healthz/outbound").status != 204
        }
        let outbound = try await bindery.request("GET", "/v1.0/healthz/outbound")
        #expect(outbound.status == 500)
        #expect(outbound.text.contains("shutting down"), "\(outbound.text)")
        #expect(try await bindery.request("GET", "/v1.0/healthz").status == 500)

        let refused = try await bindery.invoke("slow", "post", metadata: ["path": "/later"])
        #expect(refused.status == 503, "\(refused.text)")
        #expect(
            refused.json?["message"] as? String == "error invoking output binding slow: the sidecar is shutting down")
        let metadata = try await bindery.request("GET", "/v1.0/metadata")
        #expect(metadata.text.contains("\"status\":\"stopped\""), "\(metadata.text)")

        _ = try await ask(server, "POST", "/_release")
        let answered = try await inFlight.value
        #expect(answered.status == 200)
        #expect(answered.text == "released")
        #expect(try await waitForExit(bindery, timeout: .seconds(20)) == 0)
        #expect(try await ask(server, "GET", "/_received") == "1", "the refused request never reached the target")
    }

    /// daprd's rule (dapr/kit signals): a second SIGINT or SIGTERM exits at once with status 1.
    @Test(arguments: [SIGTERM, SIGINT])
    func aSecondSignalEndsTheDrainAtOnce(second: Int32) async throws {
        let server = try await heldServer()
        let (bindery, inFlight) = try await binderyHoldingARequest(
            server, flags: ["--dapr-graceful-shutdown-seconds", "60"])
        // Not `inFlight.cancel()`: cancelling a URLSession task from a defer can deadlock
        // swift-corelibs-foundation and, with it, the cooperative threads every test shares.
        // Stopping bindery closes the connection, which ends the request.
        defer { bindery.stop() }
        _ = inFlight
        send(SIGTERM, to: bindery)
        try await eventually("the shutdown to start") { bindery.log.contains("shutting down") }
        send(second, to: bindery)
        // The request stays held and the graceful period is 60 s: only the second signal ends it.
        #expect(try await waitForExit(bindery, timeout: .seconds(10)) == 1)
        #expect(bindery.log.contains("during shutdown; exiting at once"), "\(bindery.log)")
    }

    @Test func gracefulShutdownSecondsBoundsTheDrain() async throws {
        let server = try await heldServer()
        let (bindery, inFlight) = try await binderyHoldingARequest(
            server, flags: ["--dapr-graceful-shutdown-seconds", "1"])
        // Not `inFlight.cancel()`: cancelling a URLSession task from a defer can deadlock
        // swift-corelibs-foundation and, with it, the cooperative threads every test shares.
        // Stopping bindery closes the connection, which ends the request.
        defer { bindery.stop() }
        _ = inFlight
        send(SIGTERM, to: bindery)
        // Held for ever, the request used to hold bindery for 30 s before it gave up on it.
        #expect(try await waitForExit(bindery, timeout: .seconds(15)) == 1)
        #expect(bindery.log.contains("graceful shutdown timeout of 1s exceeded"), "\(bindery.log)")
    }

    /// The app gets the signal and takes 2 s to exit; cron ticks every 100 ms. Input stops when
    /// the signal arrives (it used to deliver until the app had exited: about 20 more events);
    /// events already with the app are answered and acknowledged before bindery exits.
    @Test func inputStopsAtTheSignalAndDeliveriesInFlightFinish() async throws {
        let app = try await heldServer()
        let components = try temporaryDirectory("shutdown-input")
        try writeComponent(
            components, name: "ticker", type: "bindings.cron",
            metadata: [("schedule", "@every 100ms"), ("direction", "input")])
        let slowToExit = "trap 'sleep 2; exit 0' TERM; while :; do sleep 0.05; done"
        let bindery = try await BinderyProcess([
            "--app-port", String(app.port), "--resources-path", components, "--", "sh", "-c", slowToExit,
        ])
        defer { bindery.stop() }
        try await eventually("events to reach the app") { try await ask(app, "GET", "/_held") != "0" }
        let before = try #require(Int(try await ask(app, "GET", "/_received")))
        send(SIGTERM, to: bindery)
        try await eventually("the app to exit", timeout: .seconds(10)) { bindery.log.contains("app exited") }
        let after = try #require(Int(try await ask(app, "GET", "/_received")))
        #expect(after - before <= 1, "\(after - before) events were delivered after the signal")
        _ = try await ask(app, "POST", "/_release")
        #expect(try await waitForExit(bindery, timeout: .seconds(10)) == 0)
        #expect(!bindery.log.contains("graceful shutdown timeout"))
    }

    @Test func gracefulShutdownSecondsMustBeWholeSeconds() throws {
        let result = try run(try Paths.bindery, ["run", "--dapr-graceful-shutdown-seconds", "5s"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--dapr-graceful-shutdown-seconds \"5s\" is not a whole number of seconds"))
    }
}
