import Foundation
import Synchronization

/// A real server (redis-server, mosquitto, …) that a test starts on a free loopback port, with
/// its own scratch directory and its output in a log file there. Start-up waits until the server
/// is ready; a server that exits or never gets ready fails with its log. The server is killed
/// when the test drops it, and can be stopped and started again on the same port.
///
/// Each kind of server is one small extension (`ServerProcess+Redis.swift`) that says how to
/// run it: a program, its arguments for a port and a directory, and optionally a readiness check.
public final class ServerProcess: Sendable {
    /// Names the server in messages and its log file.
    public let name: String
    public let port: Int
    /// Scratch space for configuration, data and the log; left behind for a look after a failure.
    public let directory: String
    /// The password the server requires, if it was started with one.
    public let password: String?
    private let command: [String]
    private let isReady: @Sendable (ServerProcess) -> Bool
    private let startupTimeout: Duration
    private let pid = Mutex<pid_t?>(nil)

    /// Prepares (does not start) `program` with the arguments `arguments(port, directory)` returns.
    /// `isReady` defaults to "accepts TCP connections on the port".
    public init(
        name: String, program: String, password: String? = nil, startupTimeout: Duration = .seconds(30),
        arguments: (_ port: Int, _ directory: String) throws -> [String],
        isReady: @escaping @Sendable (ServerProcess) -> Bool = { isListening(port: $0.port) }
    ) throws {
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw TestFailure("\(program) is missing: install it (scripts/install-deps) to run \(name)'s tests")
        }
        self.name = name
        self.password = password
        self.isReady = isReady
        self.startupTimeout = startupTimeout
        port = try freePort()
        directory = try TemporaryDirectory(name).path
        command = [program] + (try arguments(port, directory))
    }

    deinit { stop(signal: SIGKILL) }

    /// A server from `make`, started. If it exits at start (most often: another process took
    /// the free port between the check and the server's bind), a new one on a new port is tried,
    /// `attempts` times in all.
    public static func started(attempts: Int = 3, _ make: () throws -> ServerProcess) async throws -> ServerProcess {
        var attempt = 1
        while true {
            let server = try make()
            do {
                try await server.launch()
                return server
            } catch let failure as StartFailure where failure.exited && attempt < attempts {
                attempt += 1
            } catch let failure as StartFailure {
                throw TestFailure(failure.description)
            }
        }
    }

    /// Why `start` failed: the server exited, or was not ready in time.
    struct StartFailure: Error, CustomStringConvertible {
        var exited: Bool
        var description: String
    }

    /// 127.0.0.1:port.
    public var address: String { "127.0.0.1:\(port)" }

    /// Where the server's stdout and stderr go.
    public var logPath: String { "\(directory)/\(name).log" }

    /// Everything the server has written so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "<no log at \(logPath)>" }

    /// Starts the server and returns once it is ready; throws with its log if it exits first or
    /// is not ready within the start-up timeout (then it is killed).
    public func start() async throws {
        do {
            try await launch()
        } catch let failure as StartFailure {
            throw TestFailure(failure.description)
        }
    }

    private func launch() async throws {
        let started = try spawnServer(command, output: logPath)
        pid.withLock { $0 = started }
        let deadline = ContinuousClock.now + startupTimeout
        while !isReady(self) {
            if let status = reap(started) {
                pid.withLock { $0 = nil }
                throw StartFailure(
                    exited: true,
                    description: "\(name) on port \(port) exited at start (wait status \(status)); its log:\n\(log)")
            }
            guard ContinuousClock.now < deadline else {
                stop(signal: SIGKILL)
                throw StartFailure(
                    exited: false,
                    description: "\(name) was not ready on port \(port) within \(startupTimeout); its log:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(20))  // the interval of the readiness check
        }
    }

    /// Sends `signal` (SIGTERM: a clean shutdown that saves state; SIGKILL: connections drop at
    /// once, nothing is saved) and waits until the server has exited. Does nothing if it is not
    /// running.
    public func stop(signal: Int32 = SIGTERM) {
        let taken = pid.withLock { pid -> pid_t? in
            defer { pid = nil }
            return pid
        }
        guard let running = taken else { return }
        kill(running, SIGCONT)  // a frozen server could not act on SIGTERM
        kill(running, signal)
        var status: Int32 = 0
        while waitpid(running, &status, 0) < 0, errno == EINTR {}
    }

    /// Freezes (SIGSTOP) or thaws (SIGCONT) the server: its connections stay open, replies stop.
    public func freeze(_ frozen: Bool) {
        guard let running = pid.withLock({ $0 }) else { return }
        kill(running, frozen ? SIGSTOP : SIGCONT)
    }

    /// The wait status if `child` has exited (it is then reaped), else nil.
    private func reap(_ child: pid_t) -> Int32? {
        var status: Int32 = 0
        return waitpid(child, &status, WNOHANG) == child ? status : nil
    }
}

/// Starts `command` with stdin on /dev/null and stdout and stderr appended to `output`.
func spawnServer(_ command: [String], output: String) throws -> pid_t {
    try spawn(command, stdout: output, stderr: nil)
}

/// Starts `command` (`command[0]` searched in PATH) with stdin on /dev/null, stdout appended to
/// `stdout` and stderr to `stderr` (nil: to `stdout` too), in `directory` if given, with
/// `environment` added to this process's.
///
/// The child gets an empty signal mask and default dispositions for SIGTERM, SIGINT and SIGPIPE:
/// a test thread may block SIGTERM (dispatch workers do) and a driver's C library may ignore
/// SIGPIPE, and a child inherits both, so it would ignore `stop()`. It inherits no descriptor
/// past stderr: a server (or a watchdog shell) holding a pipe of this process open, such as
/// another child's stdin or `swift test`'s output pipe, kept that child and `swift test` itself
/// waiting after the tests ended.
func spawn(
    _ command: [String], stdout: String, stderr: String?, directory: String? = nil, environment: [String: String] = [:]
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    if let stderr {
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    } else {
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
    }
    _ = closeFrom?(&actions, 3)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGPIPE] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    // glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift: a shell changes folder.
    let command = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0] + command } ?? command
    var arguments = command.map { strdup($0) } + [nil]
    defer { for argument in arguments { free(argument) } }
    let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    var variables = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for variable in variables { free(variable) } }
    var pid: pid_t = 0
    let status = posix_spawnp(&pid, command[0], &actions, &attributes, &arguments, &variables)
    guard status == 0 else { throw TestFailure("cannot start \(command[0]): \(String(cString: strerror(status)))") }
    return pid
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34), which Swift's Glibc module does not
/// show; nil where the C library lacks it.
private nonisolated(unsafe) let closeFrom:
    (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(
            symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
