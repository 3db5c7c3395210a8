import Foundation

extension ServerProcess {
    /// Google's Pub/Sub emulator (a JVM, ~4 s to start, ~150 MB). Debian has no package for it:
    /// this machine image ships it (google-cloud-cli-pubsub-emulator), and its apt source is gone.
    public static let pubSubEmulatorPath =
        "/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator"

    /// The project every Pub/Sub test uses (the emulator takes any name of 3 characters or more).
    public static let pubSubProject = "bindery-test"

    /// A started Pub/Sub emulator on a free port (REST and gRPC on the same port, no auth).
    /// State lives in memory: a restart (`stop`, `start`) forgets every topic, subscription and
    /// message. It runs under a small Python watchdog that kills it when the test process is gone
    /// or the watchdog is stopped. Fails naming `pubSubEmulatorPath` when it is not installed.
    public static func pubSubEmulator() async throws -> ServerProcess {
        guard FileManager.default.isExecutableFile(atPath: pubSubEmulatorPath) else {
            throw TestFailure(
                "the Pub/Sub emulator is missing: \(pubSubEmulatorPath) (package google-cloud-cli-pubsub-emulator, shipped by this machine image; apt cannot install it here)"
            )
        }
        return try await started {
            try ServerProcess(name: "pubsub-emulator", program: "/usr/bin/env", startupTimeout: .seconds(90)) {
                port, directory in
                try pubSubWatchdogScript.write(
                    toFile: "\(directory)/pubsub_watchdog.py", atomically: true, encoding: .utf8)
                return [
                    "python3", "\(directory)/pubsub_watchdog.py", pubSubEmulatorPath, String(port), String(getpid()),
                ]
            } isReady: { server in
                // The JVM listens a little before it answers: ready once a REST call succeeds.
                isListening(port: server.port)
                    && ((try? run(
                        "/usr/bin/curl",
                        ["-sf", "-m", "2", "\(server.endpointURL)/v1/projects/\(pubSubProject)/topics"]))?.status == 0)
            }
        }
    }

    /// One emulator for every test in the process that uses topics and subscriptions of its own
    /// (`uniqueName`) and never stops it: its JVM start costs seconds of CPU, paid once.
    public static func sharedPubSubEmulator() async throws -> ServerProcess {
        try await sharedPubSubServer.value
    }

    private static let sharedPubSubServer = Task { try await pubSubEmulator() }

    /// `127.0.0.1:PORT`, what PUBSUB_EMULATOR_HOST holds for Google's clients.
    public var pubSubEmulatorHost: String { address }

    /// Runs Python against this emulator's REST API: `script` sees `call(method, path, body)`
    /// (path under `/v1/projects/<pubSubProject>/`, JSON in and out), `json` and `base64`; what
    /// it prints is returned.
    public func pubSubPython(_ script: String) throws -> String {
        let prelude = """
            import base64, json, urllib.request
            BASE = "\(endpointURL)/v1/projects/\(ServerProcess.pubSubProject)/"
            def call(method, path, body=None):
                data = None if body is None else json.dumps(body).encode()
                request = urllib.request.Request(BASE + path, data=data, method=method,
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=30) as response:
                    text = response.read()
                    return json.loads(text) if text.strip() else {}

            """
        let result = try run("/usr/bin/env", ["python3", "-c", prelude + script])
        guard result.status == 0 else {
            throw TestFailure("Pub/Sub emulator script failed: \(result.stderr)\n\(script)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates topic `topic` and, when given, subscription `subscription` on it with
    /// `ackDeadlineSeconds`.
    public func pubSubCreate(topic: String, subscription: String? = nil, ackDeadlineSeconds: Int = 10) throws {
        var script = "call('PUT', 'topics/\(topic)')\n"
        if let subscription {
            script += """
                call('PUT', 'subscriptions/\(subscription)', {'topic': 'projects/\(ServerProcess.pubSubProject)/topics/\(topic)', 'ackDeadlineSeconds': \(ackDeadlineSeconds)})

                """
        }
        _ = try pubSubPython(script)
    }

    /// Publishes each of `texts` (UTF-8) to `topic`.
    public func pubSubPublish(_ topic: String, _ texts: [String]) throws {
        let encoded = String(decoding: try JSONSerialization.data(withJSONObject: texts), as: UTF8.self)
        _ = try pubSubPython(
            """
            texts = json.loads(r'''\(encoded)''')
            for start in range(0, len(texts), 100):
                batch = [{'data': base64.b64encode(t.encode()).decode()} for t in texts[start:start + 100]]
                call('POST', 'topics/\(topic):publish', {'messages': batch})
            """)
    }

    /// Pulls and acknowledges every message `subscription` has ready; their texts in the order
    /// pulled. Ends at the first pull that returns nothing (returnImmediately).
    public func pubSubDrain(_ subscription: String) throws -> [String] {
        let printed = try pubSubPython(
            """
            texts = []
            while True:
                got = call('POST', 'subscriptions/\(subscription):pull', {'maxMessages': 100, 'returnImmediately': True}).get('receivedMessages', [])
                if not got: break
                texts += [base64.b64decode(m['message'].get('data', '')).decode() for m in got]
                call('POST', 'subscriptions/\(subscription):acknowledge', {'ackIds': [m['ackId'] for m in got]})
            print(json.dumps(texts))
            """)
        guard let texts = try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String] else {
            throw TestFailure("draining subscription \(subscription) printed \(printed)")
        }
        return texts
    }
}

/// Runs the emulator as a child that dies with this script (PR_SET_PDEATHSIG, set in the child
/// before exec; the emulator's launcher execs java, which keeps it), and ends when the test
/// process (argument 3) is gone or on SIGTERM. Arguments: emulator launcher, port, parent pid.
let pubSubWatchdogScript = #"""
    import ctypes, os, signal, subprocess, sys, time
    emulator, port, parent = sys.argv[1], sys.argv[2], int(sys.argv[3])
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    def die_with_watchdog():
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    child = subprocess.Popen([emulator, "--host=127.0.0.1", "--port=" + port], preexec_fn=die_with_watchdog)
    def stop(*_):
        child.kill()
        child.wait()
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while child.poll() is None:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            stop()
        time.sleep(0.5)
    sys.exit(child.returncode)
    """#
