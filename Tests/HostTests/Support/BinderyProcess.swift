import DriverTesting
import Foundation
import HostTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `bindery run` as a real process on loopback ports, for tests that check what crosses the wire.
final class BinderyProcess: @unchecked Sendable {  // mutated only by the test that owns it
    let process = Process()
    let port: Int
    /// The gRPC API's port: a free one unless `arguments` name their own (or Unix sockets).
    let grpcPort: Int
    let logFile: String
    private(set) var exitStatus: Int32?

    /// Starts `bindery run` with `arguments` (after `--dapr-http-port` and `--dapr-grpc-port`), waits until
    /// `/v1.0/healthz/outbound` answers 204.
    init(_ arguments: [String], environment: [String: String] = [:], waitReady: Bool = true) async throws {
        port = try freePort()
        let ownGRPC = arguments.contains("--dapr-grpc-port") || arguments.contains("--unix-domain-socket")
        grpcPort = ownGRPC ? 0 : try freePort()
        let dir = try temporaryDirectory("run")
        logFile = "\(dir)/bindery.log"
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: try Paths.bindery)
        process.arguments =
            ["run", "--dapr-http-port", String(port), "--log-level", "debug"]
            + (ownGRPC ? [] : ["--dapr-grpc-port", String(grpcPort)]) + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = FileHandle(forWritingAtPath: logFile)
        process.standardError = log
        process.standardOutput = log
        try process.run()
        if waitReady {
            guard try await waitFor(status: 204, path: "/v1.0/healthz/outbound") else {
                // terminationReason traps while the process runs: ask only once it has exited.
                let running = process.isRunning
                let sockets = running ? listeningSockets() : ""
                stop()
                let how = process.terminationReason == .uncaughtSignal ? "signal" : "status"
                let ended = running ? "still running after 30 s" : "exited (\(how) \(process.terminationStatus))"
                throw TestFailure(
                    "bindery did not become ready (\(ended); last poll: \(lastPollProblem)); \(sockets)log:\n\(self.log)"
                )
            }
        }
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// What the kernel says listens on the API port and which sockets the process holds, for a
    /// readiness failure's message (full-suite runs have seen "connection refused" for 30 s from
    /// a bindery whose log said it was serving that port).
    private func listeningSockets() -> String {
        let pid = process.processIdentifier
        let listening = (try? run("/bin/sh", ["-c", "ss -ltnpH 'sport = :\(port)'"]))?.stdout ?? "?"
        let held = (try? run("/bin/sh", ["-c", "ls -l /proc/\(pid)/fd | grep -c socket"]))?.stdout ?? "?"
        return "listening on \(port): [\(listening.trimmingCharacters(in: .whitespacesAndNewlines))], "
            + "sockets held by \(pid): \(held.trimmingCharacters(in: .whitespacesAndNewlines)); "
    }

    /// Polls `path` until it answers `status` (bounded).
    func waitFor(status: Int, path: String, timeout: Duration = .seconds(30)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !process.isRunning { return false }
            if rawStatus(path) == status { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Why the last readiness poll got no status, for the failure message.
    private(set) var lastPollProblem = ""

    /// The status of `GET path` on a connection of its own, not through URLSession.shared: in
    /// full-suite runs that shared client was seen to answer no test for 30 s while bindery
    /// served (three tests at once reported "did not become ready" with a log showing it ready).
    private func rawStatus(_ path: String) -> Int? {
        do {
            let connection = try RawConnection(port: port, timeout: 2)
            try connection.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            let response = try connection.readResponse()
            lastPollProblem = "answered \(response.prefix(60).debugDescription)"
            return response.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) }
        } catch {
            lastPollProblem = "\(error)"
            return nil
        }
    }

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        /// A header by name, case-insensitively (Go canonicalises `metadata.statusCode`).
        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    }

    func request(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws
        -> Answer
    {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
        return Answer(status: http.statusCode, headers: fields, body: data)
    }

    /// `POST /v1.0/bindings/{name}` with Dapr's body.
    func invoke(_ name: String, _ operation: String, data: String = "null", metadata: [String: String] = [:])
        async throws -> Answer
    {
        let meta = try String(decoding: JSONSerialization.data(withJSONObject: metadata), as: UTF8.self)
        return try await request(
            "POST", "/v1.0/bindings/\(name)",
            body: "{\"operation\":\"\(operation)\",\"data\":\(data),\"metadata\":\(meta)}")
    }

    /// SIGTERM, then wait for the exit; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        exitStatus = process.terminationStatus
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}

/// Writes a Dapr component file.
func writeComponent(_ directory: String, name: String, type: String, metadata: [(String, String)], extra: String = "")
    throws
{
    var text =
        "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: \(name)\nspec:\n  type: \(type)\n  version: v1\n\(extra)"
    if !metadata.isEmpty {
        text += "  metadata:\n" + metadata.map { "    - name: \($0.0)\n      value: \"\($0.1)\"\n" }.joined()
    }
    try text.write(toFile: "\(directory)/\(name).yaml", atomically: true, encoding: .utf8)
}
