import Foundation
import Glibc

/// A real mosquitto on 127.0.0.1 and a free port, with persistence in a temporary directory,
/// killed when the test drops it.
/// `stop` ends it with SIGTERM (it saves its sessions), `start` brings it back on the same port.
final class Broker: @unchecked Sendable {
    let port: Int
    let directory: String
    private let lock = NSLock()
    private var pid: pid_t?

    var url: String { "tcp://127.0.0.1:\(port)" }

    init() throws {
        directory = try temporaryDirectory("broker")
        port = try freePort()
        let config = """
            listener \(port) 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location \(directory)/
            max_queued_messages 0
            user root
            log_dest file \(directory)/mosquitto.log
            log_type all

            """
        try config.write(toFile: "\(directory)/mosquitto.conf", atomically: true, encoding: .utf8)
        try start()
    }

    deinit { stop(signal: SIGKILL) }

    /// Starts mosquitto and returns once it accepts connections.
    func start() throws {
        let pid = try spawn(["/usr/sbin/mosquitto", "-c", "\(directory)/mosquitto.conf"])
        lock.withLock { self.pid = pid }
        try poll("mosquitto to listen on \(port)", timeout: 10) { canConnect(port: port) }
    }

    /// SIGTERM (mosquitto saves its persistence file), then waits for the exit.
    func stop() { stop(signal: SIGTERM) }

    private func stop(signal: Int32) {
        guard let pid = lock.withLock({ defer { self.pid = nil }; return self.pid }) else { return }
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    }

    /// Runs mosquitto_pub with `arguments` against this broker (on its own thread).
    func publish(_ arguments: [String]) async throws {
        let command = ["/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", "\(port)", "-q", "1"] + arguments
        let status = try await offPool {
            let pid = try spawn(command)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            return status
        }
        guard status == 0 else { throw TestError("mosquitto_pub \(arguments) exited with \(status)") }
    }
}

/// Starts `command` with stdout and stderr on /dev/null; returns its pid.
func spawn(_ command: [String]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var arguments = command.map { strdup($0) } + [nil]
    defer { for argument in arguments { free(argument) } }
    // The calling thread may be a dispatch worker, which blocks signals, and libmosquitto set
    // SIGPIPE to ignored: the child would inherit both (and ignore our SIGTERM).
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGPIPE, SIGINT] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let status = posix_spawn(&pid, command[0], &actions, &attributes, &arguments, environ)
    guard status == 0 else { throw TestError("cannot start \(command[0]): \(String(cString: strerror(status)))") }
    return pid
}

/// Runs blocking `body` on a thread of its own, so the test never blocks Swift's small
/// cooperative pool (the driver's acks in these tests are Tasks on it).
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// A mosquitto_sub printing `retain|topic|payload` per message.
final class SubscriberProcess: @unchecked Sendable {
    private let process = Process()
    private let output = Pipe()
    private var buffer = Data()

    /// Subscribes to `topic` and returns once the broker acknowledged the subscription.
    static func start(broker: Broker, topic: String, count: Int) async throws -> SubscriberProcess {
        try await offPool { try SubscriberProcess(broker: broker, topic: topic, count: count) }
    }

    private init(broker: Broker, topic: String, count: Int) throws {
        // stdbuf: mosquitto_sub's stdout is a pipe, fully buffered by stdio otherwise.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
        process.arguments = ["-oL", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", "\(broker.port)", "-q", "1", "-t", topic, "-C", "\(count)",
                             "-W", "20", "-d", "-F", "MSG %r|%t|%p"]
        process.standardOutput = output
        try process.run()
        _ = try readLine { $0.contains("SUBACK") }
    }

    /// The next received message as `retain|topic|payload`.
    func next() async throws -> String {
        try await offPool { try String(self.readLine { $0.hasPrefix("MSG ") }.dropFirst(4)) }
    }

    private func readLine(_ matches: (String) -> Bool) throws -> String {
        while true {
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[buffer.index(after: newline)...])
                if matches(line) { return line }
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw TestError("mosquitto_sub ended before the expected line") }
            buffer.append(chunk)
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass (then throws).
func poll(_ what: String, timeout: Double, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while try !condition() {
        guard Date() < deadline else { throw TestError("timed out after \(timeout)s waiting for \(what)") }
        usleep(10_000)
    }
}

/// The async form of `poll`.
func eventually(_ what: String, timeout: Double, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while try await !condition() {
        guard Date() < deadline else { throw TestError("timed out after \(timeout)s waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}

func temporaryDirectory(_ prefix: String) throws -> String {
    var template = Array("/tmp/mqtt3-test-\(prefix)-XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
        throw TestError("mkdtemp failed")
    }
    return String(cString: made)
}

/// A port nothing listens on right now (bound to 0, read back, closed).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw TestError("bind failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}
