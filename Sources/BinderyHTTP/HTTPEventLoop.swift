import BinderySystem
import Glibc
import Synchronization

/// One event-loop thread: an epoll set with the shared listener, an eventfd for wake-ups from
/// other threads, and the connections it accepted. Handlers run here and must return quickly.
///
/// `@unchecked Sendable`: the connection table, scratch buffers and `local` are touched only on
/// the loop's own thread (`run` and what it calls; `complete` checks the thread before using
/// `local`); everything other threads touch (`inbox`, `stopping`, `loopThread`) is a Mutex or an
/// Atomic.
package final class HTTPEventLoop: @unchecked Sendable {
    package struct Completion: Sendable {
        package let connection: UInt64
        package let sequence: UInt64
        package let response: HTTPResponse
    }

    static let listenerToken: UInt64 = 0
    static let wakeToken: UInt64 = 1
    /// How long a loop leaves the listener alone after accept4 failed (Go's http.Server sleeps
    /// 5 ms doubling up to 1 s after such an error; a fixed 100 ms is as gentle and simpler).
    static let acceptPause: UInt64 = 100_000_000

    package let configuration: HTTPServerConfiguration
    let handler: @Sendable (HTTPRequest, HTTPResponder) -> Void
    package let listener: Int32
    let gate: HTTPConnectionGate
    package let epoll: Int32
    let wakeFD: Int32

    private let inbox = Mutex<[Completion]>([])
    private let stopping = Atomic<Bool>(false)
    private let loopThread = Atomic<UInt>(0)
    private var thread = pthread_t()

    // Loop-thread state.
    var connections: [UInt64: HTTPConnection] = [:]
    private var nextID: UInt64 = 2
    private var local: [Completion] = []
    var dirty: [HTTPConnection] = []
    var date = HTTPDate()
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private var drainStarted: UInt64?
    let scanInterval: UInt64
    private var nextScan: UInt64 = 0
    /// Set while the listener is out of the epoll set after a failed accept.
    private var acceptPausedUntil: UInt64?

    package init(
        configuration: HTTPServerConfiguration, listener: Int32, gate: HTTPConnectionGate,
        handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void
    ) throws(SocketError) {
        self.configuration = configuration
        self.handler = handler
        self.listener = listener
        self.gate = gate
        epoll = try Epoll.create()
        do { wakeFD = try EventFD.create() } catch {
            Socket.close(epoll)
            throw error
        }
        Epoll.add(epoll, wakeFD, events: Epoll.input, token: Self.wakeToken)
        // EPOLLEXCLUSIVE: a new connection wakes one waiting loop, not all of them.
        Epoll.add(epoll, listener, events: Epoll.input | Epoll.exclusive, token: Self.listenerToken)
        let shortest = min(configuration.idleTimeout, configuration.requestTimeout, configuration.writeTimeout)
            .nanoseconds
        scanInterval = min(max(shortest / 10, 1_000_000), 250_000_000)
    }

    deinit {
        readBuffer.deallocate()
        Socket.close(epoll)
        Socket.close(wakeFD)
    }

    /// Starts the loop's thread.
    package func start() {
        switch HostThread.start("http-loop", joinable: true, { self.run() }) {
        case .success(let started): thread = started
        case .failure(let error): preconditionFailure("\(error)")
        }
    }

    /// Stops accepting, lets in-flight responses finish (bounded by `shutdownTimeout`), then
    /// closes every connection and returns once the thread has ended. Not from a loop thread.
    func beginShutdown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        EventFD.signal(wakeFD)
    }

    package func join() {
        precondition(!isLoopThread, "HTTPServer.shutdown() called from one of its own event-loop threads")
        pthread_join(thread, nil)
    }

    var isLoopThread: Bool { loopThread.load(ordering: .acquiring) == UInt(pthread_self()) }

    /// Hands a response to the loop from any thread.
    package func complete(_ completion: Completion) {
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
            flushDirty()
            let now = MonotonicClock.nanoseconds()
            if now >= nextScan {
                nextScan = now + scanInterval
                expireTimers(now: now)
                gate.reportIfDue(now: now)
            }
            if let until = acceptPausedUntil, now >= until { resumeAccepting(now: now) }
            if stopping.load(ordering: .relaxed), drainStep(now: now) { break }
        }
        for connection in Array(connections.values) { close(connection) }
    }

    /// Milliseconds until the next timer scan or the end of an accept pause; -1 (wait forever)
    /// with nothing to time.
    private func waitTimeout() -> Int32 {
        if !local.isEmpty { return 0 }
        var next = acceptPausedUntil ?? .max
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
        guard let connection = connections[completion.connection] else { return }  // closed meanwhile
        if connection.fill(completion.sequence, with: completion.response) {
            dirty.append(connection)
        } else {
            Log.write(.debug, "response for request \(completion.sequence) ignored (sent twice?)", scope: "http")
        }
    }

    private func acceptConnections() {
        guard !stopping.load(ordering: .relaxed) else { return }
        for _ in 0..<64 {
            guard let result = Socket.accept(listener) else { return }
            switch result {
            case .success(let fd):
                let now = MonotonicClock.nanoseconds()
                let connection = HTTPConnection(fd: fd, id: nextID, limits: configuration.parserLimits, now: now)
                nextID += 1
                connections[connection.id] = connection
                Epoll.add(
                    epoll, fd, events: Epoll.input | Epoll.output | Epoll.readHangUp | Epoll.edgeTriggered,
                    token: connection.id)
                connection.admitted = gate.admit()
                if !connection.admitted { refuse(connection, now: now) }
            case .failure(let error):
                if !isStopping { pauseAccepting(after: error) }
                return
            }
        }
    }

    /// After a failed accept (EMFILE, ENFILE: no descriptor left; ENOBUFS, ENOMEM), the
    /// level-triggered listener stays readable while connections wait in its queue: retrying at
    /// once spins every loop. Take it out of this loop's epoll set for `acceptPause`; the queued
    /// connections wait in the kernel and are accepted once descriptors are free again.
    private func pauseAccepting(after error: SocketError) {
        let now = MonotonicClock.nanoseconds()
        Epoll.remove(epoll, listener)
        acceptPausedUntil = now + Self.acceptPause
        gate.noteAcceptFailure(error, now: now)
    }

    private func resumeAccepting(now: UInt64) {
        acceptPausedUntil = nil
        gate.reportIfDue(now: now)
        guard !isStopping else { return }
        Epoll.add(epoll, listener, events: Epoll.input | Epoll.exclusive, token: Self.listenerToken)
    }

    /// Past `maxConnections`: answers 503 and closes (lingering like any closing response), so
    /// the client learns why instead of waiting in the queue, and those served keep their
    /// descriptors.
    private func refuse(_ connection: HTTPConnection, now: UInt64) {
        connection.stopParsing = true
        connection.slots.append(
            HTTPConnection.Slot(
                sequence: 0, headOnly: false, close: true, keepAlive10: false,
                response: HTTPResponse(
                    status: 503, headers: ["Content-Type": "text/plain", "Retry-After": "1"],
                    text: "server at its connection limit (\(gate.limit) open connections); try again later\n")))
        connection.nextSequence = 1
        dirty.append(connection)
        gate.noteRefused(now: now)
    }

    /// One step of shutdown; true when the loop may end.
    private func drainStep(now: UInt64) -> Bool {
        if drainStarted == nil {
            drainStarted = now
            Epoll.remove(epoll, listener)
            for connection in Array(connections.values) {
                connection.stopParsing = true
                if connection.slots.isEmpty, connection.output.isEmpty {
                    close(connection)
                } else {
                    dirty.append(connection)
                }
            }
            flushDirty()
        }
        return connections.isEmpty || now - (drainStarted ?? now) >= configuration.shutdownTimeout.nanoseconds
    }

    package var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Closes and forgets a connection; `abort` resets it instead (a peer that stopped reading).
    package func close(_ connection: HTTPConnection, abort: Bool = false) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        if connection.admitted { gate.release() }
        Epoll.remove(epoll, connection.fd)
        if abort { Socket.abort(connection.fd) } else { Socket.close(connection.fd) }
    }
}
