import BinderySystem
import CNghttp2
import Glibc
import Synchronization

/// One event-loop thread of a `GRPCServer`: an epoll set with the shared listener, an eventfd
/// for replies from other threads, the connections it accepted and their calls' deadlines.
///
/// `@unchecked Sendable`: the connection table, deadlines, scratch buffers and `local` are
/// touched only on the loop's own thread (`run` and what it calls; `complete` checks the thread
/// before using `local`); what other threads touch (`inbox`, `stopping`, `loopThread`) is a
/// Mutex or an Atomic.
final class GRPCEventLoop: @unchecked Sendable {
    /// A reply handed to the loop for stream `stream` of connection `connection`.
    struct Completion: Sendable {
        let connection: UInt64
        let stream: Int32
        let reply: GRPCReply
    }

    static let listenerToken: UInt64 = 0
    static let wakeToken: UInt64 = 1
    /// How long a loop leaves the listener alone after accept4 failed (as HTTPEventLoop).
    static let acceptPause: UInt64 = 100_000_000

    let configuration: GRPCServerConfiguration
    let handler: @Sendable (GRPCRequest, GRPCResponder) -> Void
    let listener: Int32
    let gate: GRPCConnectionGate
    let epoll: Int32
    let wakeFD: Int32
    /// The nghttp2 callback table every session of this loop is created with (nghttp2 copies it).
    let callbacks: OpaquePointer
    let options = HTTP2Options.make()

    private let inbox = Mutex<[Completion]>([])
    private let stopping = Atomic<Bool>(false)
    private let loopThread = Atomic<UInt>(0)
    private var thread = pthread_t()

    // Loop-thread state.
    var connections: [UInt64: GRPCConnection] = [:]
    private var nextID: UInt64 = 2
    private var local: [Completion] = []
    var dirty: [GRPCConnection] = []
    var deadlines = GRPCDeadlineHeap()
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private var drainStarted: UInt64?
    let scanInterval: UInt64
    private var nextScan: UInt64 = 0
    private var acceptPausedUntil: UInt64?

    init(
        configuration: GRPCServerConfiguration, listener: Int32, gate: GRPCConnectionGate,
        handler: @escaping @Sendable (GRPCRequest, GRPCResponder) -> Void
    ) throws(SocketError) {
        self.configuration = configuration
        self.handler = handler
        self.listener = listener
        self.gate = gate
        callbacks = GRPCSessionCallbacks.make()
        epoll = try Epoll.create()
        do { wakeFD = try EventFD.create() } catch {
            Socket.close(epoll)
            nghttp2_session_callbacks_del(callbacks)
            nghttp2_option_del(options)
            throw error
        }
        Epoll.add(epoll, wakeFD, events: Epoll.input, token: Self.wakeToken)
        // EPOLLEXCLUSIVE: a new connection wakes one waiting loop, not all of them.
        Epoll.add(epoll, listener, events: Epoll.input | Epoll.exclusive, token: Self.listenerToken)
        scanInterval = min(max(configuration.idleTimeout.grpcNanoseconds / 10, 1_000_000), 250_000_000)
    }

    deinit {
        readBuffer.deallocate()
        nghttp2_session_callbacks_del(callbacks)
        nghttp2_option_del(options)
        Socket.close(epoll)
        Socket.close(wakeFD)
    }

    func start() {
        switch HostThread.start("grpc-loop", joinable: true, { self.run() }) {
        case .success(let started): thread = started
        case .failure(let error): preconditionFailure("\(error)")
        }
    }

    func beginShutdown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        EventFD.signal(wakeFD)
    }

    func join() {
        precondition(!isLoopThread, "GRPCServer.shutdown() called from one of its own event-loop threads")
        pthread_join(thread, nil)
    }

    var isLoopThread: Bool { loopThread.load(ordering: .acquiring) == UInt(pthread_self()) }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Hands a reply to the loop from any thread; on the loop's own thread (a handler that
    /// answered at once) it is queued without a wake-up and applied before the next wait.
    func complete(_ completion: Completion) {
        if isLoopThread {
            local.append(completion)
            return
        }
        let wasEmpty = inbox.withLock { queue in
            let empty = queue.isEmpty
            queue.append(completion)
            return empty
        }
        if wasEmpty { EventFD.signal(wakeFD) }
    }

    private func run() {
        loopThread.store(UInt(pthread_self()), ordering: .releasing)
        let events = Epoll.Events(capacity: 256)
        defer { events.deallocate() }
        while true {
            let count = Epoll.wait(epoll, into: events, timeoutMilliseconds: waitTimeout())
            for index in 0..<count {
                let event = events[index]
                switch event.token {
                case Self.listenerToken: acceptConnections()
                case Self.wakeToken: takeInbox()
                case let id:
                    if let connection = connections[id] { handle(event.events, on: connection) }
                }
            }
            applyLocalCompletions()
            let now = MonotonicClock.nanoseconds()
            expireDeadlines(now: now)
            flushDirty()
            if now >= nextScan {
                nextScan = now + scanInterval
                expireConnections(now: now)
                gate.reportIfDue(now: now)
            }
            if let until = acceptPausedUntil, now >= until { resumeAccepting(now: now) }
            if isStopping, drainStep(now: now) { break }
        }
        for connection in Array(connections.values) { close(connection) }
    }

    /// Milliseconds until the next deadline, timer scan or end of an accept pause; -1 (wait
    /// for ever) with nothing to time.
    private func waitTimeout() -> Int32 {
        if !local.isEmpty { return 0 }
        var next = min(acceptPausedUntil ?? .max, deadlines.earliest ?? .max)
        if !connections.isEmpty || drainStarted != nil { next = min(next, nextScan) }
        guard next != .max else { return -1 }
        let now = MonotonicClock.nanoseconds()
        guard next > now else { return 0 }
        return Int32(min((next - now + 999_999) / 1_000_000, 1000))
    }

    private func takeInbox() {
        EventFD.drain(wakeFD)  // before taking the queue, so a later append signals again
        let taken = inbox.withLock { queue in
            let items = queue
            queue.removeAll(keepingCapacity: true)
            return items
        }
        for completion in taken { apply(completion) }
    }

    private func applyLocalCompletions() {
        while !local.isEmpty {
            let taken = local
            local.removeAll(keepingCapacity: true)
            for completion in taken { apply(completion) }
        }
    }

    private func apply(_ completion: Completion) {
        // A connection closed meanwhile, a stream reset or answered at its deadline: dropped.
        guard let connection = connections[completion.connection] else { return }
        if connection.reply(to: completion.stream, with: completion.reply) { dirty.append(connection) }
    }

    func pushDeadline(_ deadline: UInt64, connection: UInt64, stream: Int32) {
        if deadlines.needsCompaction {
            deadlines.compact { entry in
                guard let stream = connections[entry.connection]?.streams[entry.stream] else { return false }
                return !stream.replied
            }
        }
        deadlines.push(deadline, connection: connection, stream: stream)
    }

    /// Answers DEADLINE_EXCEEDED for calls whose `grpc-timeout` has passed.
    private func expireDeadlines(now: UInt64) {
        while let entry = deadlines.popExpired(now: now) {
            guard let connection = connections[entry.connection] else { continue }
            let status = GRPCStatus(.deadlineExceeded, "context deadline exceeded")
            if connection.reply(to: entry.stream, with: GRPCReply(status: status)) { dirty.append(connection) }
        }
    }

    private func acceptConnections() {
        guard !isStopping else { return }
        for _ in 0..<64 {
            guard let result = Socket.accept(listener) else { return }
            switch result {
            case .success(let fd):
                let now = MonotonicClock.nanoseconds()
                guard gate.admit() else {
                    Socket.close(fd)
                    gate.noteRefused(now: now)
                    continue
                }
                let connection = GRPCConnection(fd: fd, id: nextID, loop: self, now: now)
                nextID += 1
                connections[connection.id] = connection
                Epoll.add(
                    epoll, fd, events: Epoll.input | Epoll.output | Epoll.readHangUp | Epoll.edgeTriggered,
                    token: connection.id)
                dirty.append(connection)  // the server's SETTINGS go out at once
            case .failure(let error):
                if !isStopping { pauseAccepting(after: error) }
                return
            }
        }
    }

    /// After a failed accept (EMFILE, ENFILE, ENOBUFS, ENOMEM) the level-triggered listener stays
    /// readable: take it out of this loop's set for `acceptPause` rather than spin.
    private func pauseAccepting(after error: SocketError) {
        let now = MonotonicClock.nanoseconds()
        Epoll.remove(epoll, listener)
        acceptPausedUntil = now + Self.acceptPause
        gate.noteAcceptFailure(error, now: now)
    }

    private func resumeAccepting(now: UInt64) {
        acceptPausedUntil = nil
        guard !isStopping else { return }
        Epoll.add(epoll, listener, events: Epoll.input | Epoll.exclusive, token: Self.listenerToken)
    }

    /// One step of shutdown; true when the loop may end. The first step sends every connection
    /// a GOAWAY notice and a PING; its ack brings the final GOAWAY (`GRPCConnection`), after
    /// which a connection closes once its last call is answered.
    private func drainStep(now: UInt64) -> Bool {
        if drainStarted == nil {
            drainStarted = now
            Epoll.remove(epoll, listener)
            for connection in connections.values {
                connection.beginDrain()
                dirty.append(connection)
            }
            flushDirty()
        }
        return connections.isEmpty || now - (drainStarted ?? now) >= configuration.shutdownTimeout.grpcNanoseconds
    }

    /// Closes and forgets a connection; `abort` resets it (a peer that stopped reading).
    func close(_ connection: GRPCConnection, abort: Bool = false) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        gate.release()
        Epoll.remove(epoll, connection.fd)
        if abort { Socket.abort(connection.fd) } else { Socket.close(connection.fd) }
        connection.release()
    }
}
