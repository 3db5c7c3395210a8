import BinderySystem
import Glibc
import Synchronization

/// The I/O thread of a `GRPCClient`: an epoll set with an eventfd for wake-ups, the current
/// connection and any still draining after GOAWAY, the calls waiting for a connection or a free
/// stream, and every call's deadline. Connects run on a short-lived thread of their own, so a
/// slow dial never stalls calls in flight.
///
/// `@unchecked Sendable`: connection and queue state is touched only on the loop thread (`run`
/// and what it calls); other threads reach it only through `inbox` (a Mutex) and `stopping`.
final class GRPCClientLoop: @unchecked Sendable {
    enum Message {
        case call(GRPCClientCall)
        case connected(attempt: UInt64, Result<Int32, SocketError>)
    }

    private struct Inbox {
        var messages: [Message] = []
        var closed = false
    }

    static let wakeToken: UInt64 = 0
    static let closingStatus = GRPCStatus(.cancelled, "grpc: the client connection is closing")

    let target: GRPCTarget
    let configuration: GRPCClientConfiguration
    private let epoll: Int32
    private let wakeFD: Int32
    private let inbox = Mutex(Inbox())
    private let stopping = Atomic<Bool>(false)
    private let loopThread = Atomic<UInt>(0)
    private let thread = Mutex<pthread_t?>(nil)

    // Loop-thread state.
    var connections: [UInt64: GRPCClientConnection] = [:]
    var current: GRPCClientConnection?
    private var connecting: UInt64?
    private var nextID: UInt64 = 1
    var waiting: [GRPCClientCall] = []
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    init(target: GRPCTarget, configuration: GRPCClientConfiguration) throws(SocketError) {
        self.target = target
        self.configuration = configuration
        // A failed init before every property is set runs no deinit: free what is made so far.
        do { epoll = try Epoll.create() } catch {
            readBuffer.deallocate()
            throw error
        }
        do { wakeFD = try EventFD.create() } catch {
            Socket.close(epoll)
            readBuffer.deallocate()
            throw error
        }
        Epoll.add(epoll, wakeFD, events: Epoll.input, token: Self.wakeToken)
    }

    deinit {
        readBuffer.deallocate()
        Socket.close(epoll)
        Socket.close(wakeFD)
    }

    func start() -> Result<Void, SystemError> {
        HostThread.start("grpc-client", joinable: true) { self.run() }.map { started in
            thread.withLock { $0 = started }
        }
    }

    var isLoopThread: Bool { loopThread.load(ordering: .acquiring) == UInt(pthread_self()) }

    /// Hands a message to the loop from any thread; a call after `stop` fails at once.
    func post(_ message: Message) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.closed else { return false }
            inbox.messages.append(message)
            return true
        }
        if accepted {
            EventFD.signal(wakeFD)
        } else if case .call(let call) = message {
            call.finish(GRPCClientResult(status: Self.closingStatus))
        } else if case .connected(_, .success(let fd)) = message {
            Socket.close(fd)
        }
    }

    /// Ends the loop: every call not finished fails CANCELLED; waits for the thread unless
    /// called on it.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        EventFD.signal(wakeFD)
        guard !isLoopThread, let running = thread.withLock({ $0.take() }) else { return }
        pthread_join(running, nil)
    }

    private func run() {
        loopThread.store(UInt(pthread_self()), ordering: .releasing)
        let events = Epoll.Events(capacity: 64)
        defer { events.deallocate() }
        while !stopping.load(ordering: .relaxed) {
            let count = Epoll.wait(epoll, into: events, timeoutMilliseconds: waitTimeout())
            for index in 0..<count {
                let event = events[index]
                if event.token == Self.wakeToken {
                    takeInbox()
                } else if let connection = connections[event.token] {
                    if event.events & (Epoll.input | Epoll.hangUp | Epoll.error | Epoll.readHangUp) != 0 {
                        _ = connection.receive(using: readBuffer)
                    }
                    _ = connection.flush()
                    settle(connection)
                }
            }
            let now = MonotonicClock.nanoseconds()
            expire(now: now)
            dispatch(now: now)
        }
        shutDown()
        loopThread.store(0, ordering: .releasing)  // a later thread may get this pthread_t
    }

    private func takeInbox() {
        EventFD.drain(wakeFD)
        let taken = inbox.withLock { inbox in
            defer { inbox.messages.removeAll(keepingCapacity: true) }
            return inbox.messages
        }
        for message in taken {
            switch message {
            case .call(let call): waiting.append(call)
            case .connected(let attempt, let result): connected(attempt, result)
            }
        }
    }

    /// Milliseconds until the earliest deadline; 0 when queued calls can be started now.
    private func waitTimeout() -> Int32 {
        if !waiting.isEmpty, connecting == nil, (current?.capacity ?? 1) > 0 { return 0 }
        var earliest = UInt64.max
        for call in waiting where call.deadline != 0 { earliest = min(earliest, call.deadline) }
        for connection in connections.values {
            for call in connection.calls.values where call.deadline != 0 { earliest = min(earliest, call.deadline) }
        }
        guard earliest != .max else { return -1 }
        let now = MonotonicClock.nanoseconds()
        return earliest <= now ? 0 : Int32(min((earliest - now + 999_999) / 1_000_000, 60_000))
    }

    /// Starts queued calls on the current connection, or a connection when there is none.
    private func dispatch(now: UInt64) {
        guard !waiting.isEmpty else { return }
        if let connection = current, connection.failure == nil, !connection.goingAway {
            var started = 0
            while started < waiting.count, connection.capacity > 0 {
                let call = waiting[started]
                started += 1
                call.beginAttempt(limit: configuration.maxMessageBytes)
                guard connection.start(call, authority: target.authority, userAgent: configuration.userAgent, now: now)
                else {
                    started -= 1
                    break
                }
            }
            waiting.removeFirst(started)
            _ = connection.flush()
            settle(connection)
        } else if connecting == nil {
            current = nil
            connect()
        }
    }

    private func connect() {
        let attempt = nextID
        nextID += 1
        connecting = attempt
        let (target, timeout) = (self.target, Int32(configuration.connectTimeout / .milliseconds(1)))
        let started = HostThread.start("grpc-connect") {
            let result = Result { () throws(SocketError) -> Int32 in try target.connect(timeoutMilliseconds: timeout) }
            self.post(.connected(attempt: attempt, result))
        }
        if case .failure(let error) = started {
            connecting = nil
            failWaiting(GRPCStatus(.unavailable, "cannot start a connect thread: \(error)"))
        }
    }

    private func connected(_ attempt: UInt64, _ result: Result<Int32, SocketError>) {
        guard attempt == connecting else {
            if case .success(let fd) = result { Socket.close(fd) }
            return
        }
        connecting = nil
        switch result {
        case .success(let fd):
            let connection = GRPCClientConnection(fd: fd, id: attempt, configuration: configuration)
            connections[attempt] = connection
            Epoll.add(
                epoll, fd, events: Epoll.input | Epoll.output | Epoll.readHangUp | Epoll.edgeTriggered, token: attempt)
            current = connection
        case .failure(let error):
            failWaiting(GRPCStatus(.unavailable, target.dialFailure(error)))
        }
    }

    /// Puts `call` first in line for the next free stream.
    func requeue(_ call: GRPCClientCall) { waiting.insert(call, at: 0) }

    /// Forgets `connection` and closes its socket.
    func close(_ connection: GRPCClientConnection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        if current === connection { current = nil }
        Epoll.remove(epoll, connection.fd)
        Socket.close(connection.fd)
    }

    /// Refuses further messages and returns those not taken yet.
    func closeInbox() -> [Message] {
        inbox.withLock { inbox in
            inbox.closed = true
            defer { inbox.messages.removeAll() }
            return inbox.messages
        }
    }

    private func failWaiting(_ status: GRPCStatus) {
        let failed = waiting
        waiting.removeAll()
        for call in failed { call.finish(GRPCClientResult(status: status)) }
    }
}
