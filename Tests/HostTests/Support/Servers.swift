import Foundation

/// A real server (redis-server, mosquitto) started by a test on a loopback port, which it can
/// stop and start again on the same port.
final class ServerProcess: @unchecked Sendable {  // used by the one test that owns it
    let name: String
    let port: Int
    let directory: String
    private let arguments: (Int, String) -> [String]
    private let program: String
    private var process: Process?

    private init(name: String, program: String, arguments: @escaping (Int, String) -> [String]) throws {
        self.name = name
        self.program = program
        self.arguments = arguments
        port = try freePort()
        directory = try temporaryDirectory(name)
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw TestFailure("\(program) is missing: run scripts/install-deps")
        }
    }

    static func redis(extra: [String] = []) async throws -> ServerProcess {
        let server = try ServerProcess(name: "redis", program: "/usr/bin/redis-server") { port, dir in
            ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir] + extra
        }
        try await server.start()
        return server
    }

    static func mosquitto() async throws -> ServerProcess {
        let server = try ServerProcess(name: "mosquitto", program: "/usr/sbin/mosquitto") { port, dir in
            let config = "\(dir)/mosquitto.conf"
            try? "listener \(port) 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location \(dir)/\n"
                .write(toFile: config, atomically: true, encoding: .utf8)
            return ["-c", config]
        }
        try await server.start()
        return server
    }

    func start() async throws {
        let process = Process()
        // Test threads may have SIGTERM blocked, and a child inherits the mask: clear it before
        // exec, or the server ignores `stop()`'s SIGTERM (and a SIGKILL would lose its data).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                             program] + arguments(port, directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(30)  // generous: a loaded machine starts slowly
        while ContinuousClock.now < deadline {
            if isListening() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("\(name) did not listen on \(port)")
    }

    /// Stops the server and waits for it to exit.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    private func isListening() -> Bool {
        withLoopbackSocket(port) { fd, address, length in connect(fd, address, length) == 0 }
    }

    deinit { stop() }
}
