import Foundation
import Glibc

/// A real `redis-server` on a loopback ephemeral port, started for one test and killed when
/// the test drops it. `stop` and `restart` keep the port, to test reconnection.
final class RedisServer: @unchecked Sendable {
    // @unchecked Sendable: `process` changes only in stop/restart, which tests call from one task.
    let port: Int
    let password: String?
    private let extra: [String]
    private var process: Process?

    init(password: String? = nil, extra: [String] = []) throws {
        self.password = password
        self.extra = extra
        var lastError: any Error = TestError("no attempt")
        for _ in 0..<5 {
            let candidate = try RedisServer.freePort()
            do {
                process = try RedisServer.launch(port: candidate, password: password, extra: extra)
                port = candidate
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    // SIGKILL, not SIGTERM: children of test threads inherit a signal mask that blocks SIGTERM.
    deinit { stop() }

    var address: String { "127.0.0.1:\(port)" }

    /// Kills the server (SIGKILL: connections drop at once) and waits until it has exited.
    func stop() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Starts the server again on the same port.
    func restart() throws {
        stop()
        process = try RedisServer.launch(port: port, password: password, extra: extra)
    }

    /// Freezes (SIGSTOP) or thaws (SIGCONT) the server: connections stay open, replies stop.
    func freeze(_ frozen: Bool) {
        guard let process else { return }
        kill(process.processIdentifier, frozen ? SIGSTOP : SIGCONT)
    }

    /// Runs `redis-cli` against this server and returns its output without the final newline.
    @discardableResult
    func cli(_ arguments: String..., database: Int = 0) throws -> String {
        try RedisServer.cli(port: port, password: password, database: database, arguments)
    }

    private static func cli(port: Int, password: String?, database: Int = 0, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        var prefix = ["-h", "127.0.0.1", "-p", String(port), "-n", String(database)]
        if let password { prefix += ["--no-auth-warning", "-a", password] }
        process.arguments = prefix + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    private static func launch(port: Int, password: String?, extra: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        var arguments = ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"]
        if let password { arguments += ["--requirepass", password] }
        process.arguments = arguments + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw TestError("redis-server exited at start on port \(port)") }
            if (try? cli(port: port, password: password, ["PING"])) == "PONG" { return process }
            usleep(20_000)  // polling interval of the readiness check, not a wait for an event
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw TestError("redis-server on port \(port) did not answer PING within 10 s")
    }

    /// A port the kernel just handed out for loopback (bound, then released).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestError("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestError("bind: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
