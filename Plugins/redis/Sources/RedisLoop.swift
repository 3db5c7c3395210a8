import DriverKit
import Glibc

/// The I/O thread's loop: poll(2) over the wake pipe and every connection, dispatch of new
/// requests to the least busy ready connection, timers, and shutdown.
///
/// Requests never wait for a server that is known to be down: while no connection is ready
/// and the last attempt failed, they fail at once with that cause (connections keep
/// reconnecting in the background). Only while the first attempt is in flight do they wait.
final class RedisLoop {
    private let client: RedisClient
    private let settings: RedisSettings
    private var connections: [RedisConnection] = []
    /// Requests with no ready connection yet, and requests to send again.
    private var waiting: [RedisRequest] = []
    /// Why the server cannot be used; nil while a connection is ready or none has failed yet.
    private var lastFailure: String?
    private var stopping = false
    private var cursor = 0

    init(client: RedisClient) {
        self.client = client
        self.settings = client.settings
    }

    /// CLOCK_MONOTONIC in nanoseconds.
    static func now() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    func run() {
        connections = (0..<settings.poolSize).map { _ in RedisConnection(loop: self, settings: settings) }
        for connection in connections { connection.connect(now: RedisLoop.now()) }
        var fds: [pollfd] = []
        var polled: [RedisConnection] = []
        // Submitters write the pipe whenever they queue into an empty, unsignalled queue, so
        // the queue only needs a look after the pipe was readable (saves a lock and two
        // syscalls per pass driven by socket I/O alone).
        var woken = true
        while true {
            if woken {
                let (requests, stop) = client.takeWork()
                if stop {
                    waiting += requests
                    break
                }
                for request in requests { dispatch(request) }
            }
            let now = RedisLoop.now()
            for connection in connections { connection.tick(now: now) }
            settleWaiting()

            fds.removeAll(keepingCapacity: true)
            polled.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: client.wakeDescriptor, events: Int16(POLLIN), revents: 0))
            for connection in connections {
                guard let (fd, events) = connection.pollRequest else { continue }
                fds.append(pollfd(fd: fd, events: events, revents: 0))
                polled.append(connection)
            }
            let ready = poll(&fds, nfds_t(fds.count), timeout(now: now))
            woken = ready < 0 || fds[0].revents != 0
            guard ready > 0 else { continue }
            let after = RedisLoop.now()
            for (index, connection) in polled.enumerated() where fds[index + 1].revents != 0 {
                connection.handle(fds[index + 1].revents, now: after)
            }
        }
        shutDown()
    }

    // MARK: called by connections

    func connectionReady(_ connection: RedisConnection) {
        if let lastFailure {
            client.host?.log(.info, "redis at \(settings.address) is reachable again (was: \(lastFailure))")
        }
        lastFailure = nil
        settleWaiting()
    }

    func connectionFailed(_ connection: RedisConnection, reason: String) {
        guard !stopping else { return }
        if lastFailure == nil {
            client.host?.log(.warn, "redis at \(settings.address): \(reason); reconnecting in the background")
        }
        lastFailure = reason
    }

    /// A request's connection broke before all its replies came: send it again if that is
    /// safe and allowed, else fail it.
    func requestBroke(_ request: RedisRequest, reason: String) {
        if stopping {
            request.fail(.stopping)
        } else if request.isRetryable, request.attempt <= settings.maxRetries {
            waiting.append(request)
        } else {
            request.fail(.connectionLost(cause: reason))
        }
    }

    // MARK: dispatch

    private func dispatch(_ request: RedisRequest) {
        if let connection = readyConnection(), connection.send(request, now: RedisLoop.now()) { return }
        if let lastFailure {
            request.fail(.unavailable(cause: lastFailure))
        } else {
            waiting.append(request)
        }
    }

    private func settleWaiting() {
        guard !waiting.isEmpty, readyConnection() != nil || lastFailure != nil else { return }
        let requests = waiting
        waiting = []
        for request in requests { dispatch(request) }
    }

    /// The ready connection with the fewest replies outstanding, starting the search after
    /// the last one used so equal connections share the load.
    private func readyConnection() -> RedisConnection? {
        var best: RedisConnection?
        for offset in 0..<connections.count {
            let connection = connections[(cursor + offset) % connections.count]
            guard connection.phase == .ready else { continue }
            if let best, best.outstanding <= connection.outstanding { continue }
            best = connection
        }
        cursor = (cursor + 1) % max(connections.count, 1)
        return best
    }

    /// Milliseconds until the next timer, at most one second.
    private func timeout(now: UInt64) -> Int32 {
        let next = connections.compactMap { $0.nextDeadline() }.min() ?? .max
        guard next > now else { return 0 }
        return Int32(min((next - now + 999_999) / 1_000_000, 1000))
    }

    private func shutDown() {
        stopping = true
        let requests = waiting
        waiting = []
        for request in requests { request.fail(.stopping) }
        let now = RedisLoop.now()
        for connection in connections { connection.close(reason: "the component is stopping", now: now) }
        connections = []
    }
}
