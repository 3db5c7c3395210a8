import DriverKit
import Glibc

/// One slot of the pool: a thread of its own and the one connection it drives.
///
/// The pool hands a request to an idle worker only; the worker serves it, then asks the pool
/// for the next one (`PostgreSQLPool.next(after:)`) or goes back to idle. While idle it
/// watches its connection, so a server that closes it (a restart) is noticed at once and the
/// next request opens a fresh one instead of failing on a dead socket; it also closes the
/// connection once pool_max_conn_idle_time or pool_max_conn_lifetime has passed, and re-opens
/// it every pool_health_check_period while fewer than pool_min_conns are open.
///
/// `@unchecked Sendable`: the pool and other threads only call `thread.submit` and `stop`;
/// everything else runs on the worker's own thread.
final class PostgreSQLWorker: @unchecked Sendable {
    let thread: DedicatedThread<PostgreSQLRequest>
    private unowned let pool: PostgreSQLPool
    private let settings: PostgreSQLSettings
    /// Workers below pool_min_conns keep their connection open.
    private let keepsConnection: Bool
    let index: Int
    private lazy var connection = PostgreSQLConnection(settings: settings) { [unowned self] fd, events, deadline in
        wait(fd, events, until: deadline)
    }
    private var lastUsed: UInt64 = 0
    private var lifetime: UInt64
    private var stopping = false
    /// Requests taken from the queue and not served yet (in practice at most one).
    private var backlog: [PostgreSQLRequest] = []

    init(index: Int, pool: PostgreSQLPool) {
        self.pool = pool
        self.index = index
        settings = pool.settings
        keepsConnection = index < pool.settings.pool.minConns
        thread = DedicatedThread(name: "bindings.postgresql connection \(index + 1) thread")
        let jitter = UInt64(max(0, pool.settings.pool.maxConnLifetimeJitter.nanoseconds))
        lifetime =
            UInt64(max(0, settings.pool.maxConnLifetime.nanoseconds)) + (jitter > 0 ? .random(in: 0...jitter) : 0)
    }

    /// CLOCK_MONOTONIC in nanoseconds.
    static func now() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    func run() {
        if keepsConnection { try? connection.open(deadline: Self.now() + timeoutNanoseconds) }
        while !stopping {
            let (work, stop) = thread.takeWork()
            backlog += work
            if stop { break }
            while !stopping, let request = backlog.isEmpty ? nil : backlog.removeFirst() {
                serve(request)
                if backlog.isEmpty, !stopping, let next = pool.next(after: self) { backlog.append(next) }
            }
            if !stopping { idle() }
        }
        for request in backlog { request.fail(PostgreSQLRequest.stopping) }
        backlog = []
        connection.close()
    }

    private var timeoutNanoseconds: UInt64 { UInt64(settings.timeout.nanoseconds) }

    private func serve(_ request: PostgreSQLRequest) {
        let now = Self.now()
        if let deadline = request.deadline, deadline <= now {
            return request.fail(PostgreSQLConnection.timeout)
        }
        if connection.isOpen, now >= connection.connectedAt + lifetime { connection.close() }
        // No check of the socket here (a syscall per request): `idle` watches it between bursts.
        do {
            let connectBy = min(request.deadline ?? .max, now + timeoutNanoseconds)
            try connection.open(deadline: connectBy)
            if request.arrayLiterals.isEmpty || request.simple, !connection.send(request) {
                // Nothing was sent: the connection broke while idle. One fresh attempt.
                connection.close()
                try connection.open(deadline: connectBy)
                guard connection.send(request) else {
                    let reason = connection.message()
                    connection.close()
                    throw DriverError(.unavailable, "error executing query: \(reason)", retryable: true)
                }
            }
        } catch let error as DriverError {
            return request.fail(error)
        } catch {
            return request.fail(DriverError(.internalError, "\(error)"))
        }
        if !request.arrayLiterals.isEmpty, !request.simple, let failure = connection.sendDescribed(request) {
            return request.fail(failure)
        }
        let result = connection.collect(request)
        lastUsed = Self.now()
        request.finish(result)
    }

    /// Waits for work, watching the idle connection and its timers.
    private func idle() {
        while !stopping, backlog.isEmpty {
            let now = Self.now()
            if connection.isOpen, !keepsConnection,
                now >= lastUsed + UInt64(settings.pool.maxConnIdleTime.nanoseconds)
            {
                connection.close()
            }
            if connection.isOpen, now >= connection.connectedAt + lifetime { connection.close() }
            let check = now + UInt64(max(1_000_000, settings.pool.healthCheckPeriod.nanoseconds))
            switch wait(connection.socket, Int16(POLLIN), until: check, returnOnWork: true) {
            case .stopping: return
            case .ready(let events):
                // The socket first, even when work arrived with it: a connection the server
                // closed is dropped before a request is sent on it.
                if events != 0, !connection.stillUsable() { connection.close() }
            case .timedOut:
                if keepsConnection, !connection.isOpen {
                    try? connection.open(deadline: Self.now() + timeoutNanoseconds)
                }
            }
        }
    }

    /// Polls `fd` (if not -1) and the wake pipe until `deadline`. Work that arrives is kept in
    /// `backlog`; with `returnOnWork` the wait then ends, with `.ready(0)` unless `fd` is ready too.
    private func wait(_ fd: Int32, _ events: Int16, until deadline: UInt64?, returnOnWork: Bool = false)
        -> PostgreSQLConnection.Wait
    {
        var fds = [pollfd(fd: thread.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        if fd >= 0 { fds.append(pollfd(fd: fd, events: events, revents: 0)) }
        while true {
            let now = Self.now()
            var timeout: Int32 = -1
            if let deadline {
                if deadline <= now { return .timedOut }
                timeout = Int32(min((deadline - now + 999_999) / 1_000_000, 60_000))
            }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0, errno == EINTR { continue }
            if fds[0].revents != 0 {
                let (work, stop) = thread.takeWork()
                backlog += work
                if stop {
                    stopping = true
                    return .stopping
                }
            }
            if fds.count > 1, fds[1].revents != 0 { return .ready(fds[1].revents) }
            if returnOnWork, !backlog.isEmpty { return .ready(0) }
        }
    }
}
