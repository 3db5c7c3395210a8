import CHiredis
import DriverKit
import Glibc

/// One hiredis async connection: connect, handshake (AUTH, SELECT, PING), pipelined commands,
/// timeouts and reconnection with backoff. Used by the I/O thread only.
///
/// hiredis calls back into this object (through `ac->data`, unretained) from inside
/// `redisAsyncHandleRead/Write` and `redisAsyncFree`; the loop keeps it alive for longer than
/// any context it owns. hiredis calls every reply callback exactly once, with NULL when the
/// context goes away, which is how requests in flight learn that their connection broke.
final class RedisConnection {
    enum Phase: Equatable {
        /// No context; connect again at `retryAt` (CLOCK_MONOTONIC ns).
        case down(retryAt: UInt64)
        /// connect(2) and the handshake are in flight until `deadline`.
        case connecting(deadline: UInt64)
        case ready
    }

    private unowned let loop: RedisLoop
    private let settings: RedisSettings
    private(set) var phase: Phase = .down(retryAt: 0)
    private var context: UnsafeMutablePointer<redisAsyncContext>?
    /// What hiredis wants polled; outlives every context (see CHiredis/shim.h).
    private let events: UnsafeMutablePointer<bd_redis_events>
    private var handshakeLeft = 0
    /// Request commands sent and not yet answered.
    private(set) var outstanding = 0
    /// When a reply last arrived, or when the first outstanding command was sent.
    private var lastProgress: UInt64 = 0
    private var writingSince: UInt64?
    /// Connect attempts that failed in a row: the backoff exponent.
    private var failures = 0
    /// The first error seen on the current context: why it is going away.
    private var failure: String?
    private var closeRequested = false

    init(loop: RedisLoop, settings: RedisSettings) {
        self.loop = loop
        self.settings = settings
        events = .allocate(capacity: 1)
        events.initialize(to: bd_redis_events())
    }

    deinit { events.deallocate() }

    /// The fd and events to poll, or nil without a context.
    var pollRequest: (fd: Int32, events: Int16)? {
        guard let context else { return nil }
        var wanted: Int16 = 0
        if events.pointee.reading != 0 { wanted |= Int16(POLLIN) }
        if events.pointee.writing != 0 { wanted |= Int16(POLLOUT) }
        return (context.pointee.c.fd, wanted)
    }

    /// Starts a non-blocking connect and queues the handshake behind it.
    func connect(now: UInt64) {
        failure = nil
        closeRequested = false
        guard let ac = redisAsyncConnect(settings.host, Int32(settings.port)) else {
            return closed(reason: "cannot allocate a hiredis context", now: now)
        }
        if ac.pointee.err != 0 {
            let reason = String(cString: bd_redis_error(ac))
            redisAsyncFree(ac)
            return closed(reason: reason, now: now)
        }
        _ = bd_redis_attach(ac, events)
        ac.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        _ = redisAsyncSetConnectCallback(ac) { ac, status in
            guard status != REDIS_OK, let ac, let me = RedisConnection.owner(of: ac) else { return }
            me.note(String(cString: bd_redis_error(ac)))
        }
        _ = redisAsyncSetDisconnectCallback(ac) { ac, status in
            guard status != REDIS_OK, let ac, let me = RedisConnection.owner(of: ac) else { return }
            me.note(String(cString: bd_redis_error(ac)))
        }
        context = ac
        phase = .connecting(deadline: now + UInt64(settings.dialTimeout.nanoseconds))
        var handshake: [RedisCommand] = []
        if let password = settings.password {
            handshake.append(
                settings.username.map { RedisCommand.text("AUTH", $0, password) }
                    ?? RedisCommand.text("AUTH", password))
        }
        if settings.database != 0 { handshake.append(RedisCommand.text("SELECT", String(settings.database))) }
        handshake.append(RedisCommand("PING"))
        handshakeLeft = handshake.count
        for command in handshake where !issue(command, .handshake(command.name)) {
            note("cannot queue \(command.name)")
            closeRequested = true
        }
        settle(now: now)
    }

    /// Sends every command of `request`; false when this connection cannot take it now.
    func send(_ request: RedisRequest, now: UInt64) -> Bool {
        guard context != nil, phase == .ready, !closeRequested else { return false }
        request.beginAttempt()
        if outstanding == 0 { lastProgress = now }
        for (index, command) in request.commands.enumerated() {
            guard issue(command, .request(request, attempt: request.attempt)) else {
                if index == 0 { return false }
                loop.requestBroke(request, reason: "hiredis refused the command")
                return true
            }
            outstanding += 1
        }
        return true
    }

    /// Lets hiredis read and write after poll reported `revents`.
    func handle(_ revents: Int16, now: UInt64) {
        if let context, revents & Int16(POLLIN | POLLERR | POLLHUP) != 0 {
            redisAsyncHandleRead(context)
        }
        if events.pointee.freed == 0, let context, revents & Int16(POLLOUT | POLLERR) != 0 {
            redisAsyncHandleWrite(context)
        }
        settle(now: now)
    }

    /// Timers: reconnect after backoff, dial/read/write timeouts.
    func tick(now: UInt64) {
        switch phase {
        case .down(let retryAt):
            if now >= retryAt { connect(now: now) }
        case .connecting(let deadline):
            if now >= deadline { close(reason: "no answer within dialTimeout (\(settings.dialTimeout))", now: now) }
        case .ready:
            if events.pointee.writing != 0 { writingSince = writingSince ?? now } else { writingSince = nil }
            if let limit = settings.readTimeout, outstanding > 0, now >= lastProgress + UInt64(limit.nanoseconds) {
                close(reason: "no reply within readTimeout (\(limit))", now: now)
            } else if let limit = settings.writeTimeout, let since = writingSince,
                now >= since + UInt64(limit.nanoseconds)
            {
                close(reason: "could not write within writeTimeout (\(limit))", now: now)
            }
        }
    }

    /// The next time `tick` has something to do.
    func nextDeadline() -> UInt64? {
        switch phase {
        case .down(let retryAt): return retryAt
        case .connecting(let deadline): return deadline
        case .ready:
            var next: UInt64?
            if let limit = settings.readTimeout, outstanding > 0 { next = lastProgress + UInt64(limit.nanoseconds) }
            if let limit = settings.writeTimeout, let since = writingSince {
                next = min(next ?? .max, since + UInt64(limit.nanoseconds))
            }
            return next
        }
    }

    /// Frees the context: hiredis fails every pending callback (NULL reply) first.
    func close(reason: String, now: UInt64) {
        guard let context else { return }
        note(reason)
        redisAsyncFree(context)
        settle(now: now)
    }

    // MARK: hiredis callbacks and their bookkeeping

    private enum Purpose {
        case handshake(String)
        case request(RedisRequest, attempt: Int)
    }

    /// The privdata of one command: retained by hiredis until its reply callback.
    private final class Pending {
        let purpose: Purpose
        init(_ purpose: Purpose) { self.purpose = purpose }
    }

    private static func owner(of context: UnsafePointer<redisAsyncContext>) -> RedisConnection? {
        context.pointee.data.map { Unmanaged<RedisConnection>.fromOpaque($0).takeUnretainedValue() }
    }

    private func issue(_ command: RedisCommand, _ purpose: Purpose) -> Bool {
        guard let context else { return false }
        let box = Unmanaged.passRetained(Pending(purpose)).toOpaque()
        let status = command.bytes.withUnsafeBufferPointer { bytes in
            command.lengths.withUnsafeBufferPointer { lengths in
                bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { text in
                    bd_redis_command(
                        context,
                        { ac, reply, privdata in
                            guard let privdata else { return }
                            let pending = Unmanaged<Pending>.fromOpaque(privdata).takeRetainedValue()
                            guard let ac, let me = RedisConnection.owner(of: ac) else { return }
                            let copied = reply.map { RedisReply($0.assumingMemoryBound(to: redisReply.self)) }
                            me.received(copied, for: pending.purpose, error: String(cString: bd_redis_error(ac)))
                        }, box, Int32(command.argumentCount), text, lengths.baseAddress)
                }
            }
        }
        if status != REDIS_OK { Unmanaged<Pending>.fromOpaque(box).release() }
        return status == REDIS_OK
    }

    private func received(_ reply: RedisReply?, for purpose: Purpose, error: String) {
        switch purpose {
        case .handshake(let name):
            handshakeLeft -= 1
            guard let reply else { return }
            if let text = reply.errorText {
                note(name == "AUTH" ? "authentication failed: \(text)" : "\(name) failed: \(text)")
                closeRequested = true
            } else if handshakeLeft == 0, case .connecting = phase, !closeRequested {
                phase = .ready
                failures = 0
                loop.connectionReady(self)
            }
        case .request(let request, let attempt):
            outstanding -= 1
            lastProgress = RedisLoop.now()
            if let reply {
                if request.record(reply, attempt: attempt) { request.succeed() }
            } else if request.attempt == attempt, !request.isFinished {
                if failure == nil, !error.isEmpty { failure = error }
                loop.requestBroke(request, reason: failure ?? "connection closed")
            }
        }
    }

    /// Remembers the first error of this context.
    private func note(_ reason: String) {
        if failure == nil, !reason.isEmpty { failure = reason }
    }

    /// After any call into hiredis: frees the context if asked, notices when it is gone.
    private func settle(now: UInt64) {
        if closeRequested, events.pointee.freed == 0, let context {
            closeRequested = false
            redisAsyncFree(context)
        }
        guard events.pointee.freed != 0, context != nil else { return }
        context = nil
        events.pointee.freed = 0
        closed(reason: failure ?? "the server closed the connection", now: now)
    }

    private func closed(reason: String, now: UInt64) {
        if phase == .ready { failures = 0 } else { failures = min(failures + 1, 20) }
        // Exponential backoff between redisMinRetryInterval and redisMaxRetryInterval (go-redis).
        let (grown, overflow) = UInt64(settings.minRetryInterval.nanoseconds)
            .multipliedReportingOverflow(by: 1 << UInt64(max(failures - 1, 0)))
        let backoff = min(overflow ? .max : grown, UInt64(settings.maxRetryInterval.nanoseconds))
        phase = .down(retryAt: now + backoff)
        outstanding = 0
        handshakeLeft = 0
        writingSince = nil
        loop.connectionFailed(self, reason: reason)
    }
}
