import Glibc
import Synchronization

/// What every event-loop thread of a `ListeningServer` does whatever protocol it serves: an
/// epoll set with the shared listener (EPOLLEXCLUSIVE) and an eventfd for completions from other
/// threads; accepting, and pausing that after accept4 fails; completions handed in on the loop's
/// own thread queued without a wake-up; timer scans; draining at shutdown. The protocol lives in
/// an `EventLoopHandler`, whose `run` this is.
///
/// `@unchecked Sendable`: `local`, the scan, drain and accept-pause state and `readBuffer` are
/// touched only on the loop's own thread (`run` and what it calls; `complete` checks the thread
/// before using `local`); what other threads touch (`inbox`, `stopping`, `loopThread`) is a
/// Mutex or an Atomic, and `thread` is written by `start` before `join` reads it, both on the
/// thread that owns the server.
package final class EventLoopCore<Completion: Sendable>: @unchecked Sendable {
    @usableFromInline static var listenerToken: UInt64 { 0 }
    @usableFromInline static var wakeToken: UInt64 { 1 }

    package let listener: Int32
    package let gate: ConnectionGate
    package let epoll: Int32
    @usableFromInline let wakeFD: Int32
    @usableFromInline let threadName: String
    @usableFromInline let scanInterval: UInt64
    @usableFromInline let shutdownTimeout: UInt64

    @usableFromInline let inbox = Mutex<[Completion]>([])
    @usableFromInline let stopping = Atomic<Bool>(false)
    @usableFromInline let loopThread = Atomic<UInt>(0)
    @usableFromInline var thread = pthread_t()

    // Loop-thread state.
    /// Scratch space for reads, shared by the loop's connections.
    package let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    @usableFromInline var local: [Completion] = []
    @usableFromInline var nextToken: UInt64 = 2
    @usableFromInline var nextScan: UInt64 = 0
    @usableFromInline var drainStarted: UInt64?
    /// Set while the listener is out of the epoll set after a failed accept.
    @usableFromInline var acceptPausedUntil: UInt64?

    /// A loop on `listener` named `threadName`, scanning timers every `scanInterval` ns and
    /// waiting at most `shutdownTimeout` ns for connections to drain.
    package init(
        listener: Int32, gate: ConnectionGate, threadName: String, scanInterval: UInt64, shutdownTimeout: UInt64
    ) throws(SocketError) {
        (self.listener, self.gate, self.threadName) = (listener, gate, threadName)
        (self.scanInterval, self.shutdownTimeout) = (scanInterval, shutdownTimeout)
        epoll = try Epoll.create()
        do { wakeFD = try EventFD.create() } catch {
            Socket.close(epoll)
            readBuffer.deallocate()
            throw error
        }
        Epoll.add(epoll, wakeFD, events: Epoll.input, token: Self.wakeToken)
        // EPOLLEXCLUSIVE: a new connection wakes one waiting loop, not all of them.
        Epoll.add(epoll, listener, events: Epoll.input | Epoll.exclusive, token: Self.listenerToken)
    }

    deinit {
        readBuffer.deallocate()
        Socket.close(epoll)
        Socket.close(wakeFD)
    }

    /// Starts the loop's thread, running `handler`.
    @inlinable func start<Handler: EventLoopHandler>(_ handler: Handler) where Handler.Completion == Completion {
        switch HostThread.start(threadName, joinable: true, { self.run(handler) }) {
        case .success(let started): thread = started
        case .failure(let error): preconditionFailure("\(error)")
        }
    }

    /// Stops accepting and begins draining; returns at once.
    @usableFromInline func beginShutdown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        EventFD.signal(wakeFD)
    }

    /// Waits for the loop's thread to end.
    @usableFromInline func join() {
        precondition(!isLoopThread, "shutdown() called from one of its own event-loop threads (\(threadName))")
        pthread_join(thread, nil)
    }

    @inlinable package var isLoopThread: Bool { loopThread.load(ordering: .acquiring) == UInt(pthread_self()) }

    @inlinable package var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Hands a completion to the loop from any thread; on the loop's own thread (a handler that
    /// answered at once) it is queued without a wake-up and applied before the next wait.
    @inlinable package func complete(_ completion: Completion) {
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

    /// Adds an accepted connection to the epoll set, edge-triggered, for reading and writing.
    @inlinable package func register(_ fd: Int32, token: UInt64) {
        Epoll.add(epoll, fd, events: Epoll.input | Epoll.output | Epoll.readHangUp | Epoll.edgeTriggered, token: token)
    }

    /// Takes a connection out of the epoll set (before closing it).
    @inlinable package func unregister(_ fd: Int32) { Epoll.remove(epoll, fd) }

    @inlinable func run<Handler: EventLoopHandler>(_ handler: Handler) where Handler.Completion == Completion {
        loopThread.store(UInt(pthread_self()), ordering: .releasing)
        let events = Epoll.Events(capacity: 256)
        defer { events.deallocate() }
        while true {
            let count = Epoll.wait(epoll, into: events, timeoutMilliseconds: waitTimeout(handler))
            for index in 0..<count {
                let event = events[index]
                switch event.token {
                case Self.listenerToken: acceptConnections(handler)
                case Self.wakeToken: takeInbox(handler)
                case let token: handler.handle(event.events, token: token)
                }
            }
            applyLocalCompletions(handler)
            handler.flush()
            let now = MonotonicClock.nanoseconds()
            if now >= nextScan {
                nextScan = now + scanInterval
                handler.scan(now: now)
                gate.reportIfDue(now: now)
            }
            if let until = acceptPausedUntil, now >= until { resumeAccepting(now: now) }
            if isStopping, drainStep(handler, now: now) { break }
        }
        handler.closeAll()
    }

    /// Milliseconds until the handler's next deadline, the next timer scan or the end of an
    /// accept pause; -1 (wait for ever) with nothing to time.
    @inlinable func waitTimeout<Handler: EventLoopHandler>(_ handler: Handler) -> Int32 {
        if !local.isEmpty { return 0 }
        var next = min(acceptPausedUntil ?? .max, handler.nextDeadline ?? .max)
        if handler.hasConnections || drainStarted != nil { next = min(next, nextScan) }
        guard next != .max else { return -1 }
        let now = MonotonicClock.nanoseconds()
        guard next > now else { return 0 }
        return Int32(min((next - now + 999_999) / 1_000_000, 1000))
    }

    @inlinable func takeInbox<Handler: EventLoopHandler>(_ handler: Handler) where Handler.Completion == Completion {
        EventFD.drain(wakeFD)  // before taking the queue, so a later append signals again
        let taken = inbox.withLock { queue in
            let items = queue
            queue.removeAll(keepingCapacity: true)
            return items
        }
        for completion in taken { handler.apply(completion) }
    }

    @inlinable func applyLocalCompletions<Handler: EventLoopHandler>(_ handler: Handler)
    where Handler.Completion == Completion {
        while !local.isEmpty {
            let taken = local
            local.removeAll(keepingCapacity: true)
            for completion in taken { handler.apply(completion) }
        }
    }

    @inlinable func acceptConnections<Handler: EventLoopHandler>(_ handler: Handler) {
        guard !isStopping else { return }
        for _ in 0..<64 {
            guard let result = Socket.accept(listener) else { return }
            switch result {
            case .success(let fd):
                let token = nextToken
                nextToken += 1
                handler.accept(fd, token: token, now: MonotonicClock.nanoseconds())
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
    @usableFromInline func pauseAccepting(after error: SocketError) {
        let now = MonotonicClock.nanoseconds()
        Epoll.remove(epoll, listener)
        acceptPausedUntil = now + ConnectionGate.acceptPause
        gate.noteAcceptFailure(error, now: now)
    }

    @usableFromInline func resumeAccepting(now: UInt64) {
        acceptPausedUntil = nil
        gate.reportIfDue(now: now)
        guard !isStopping else { return }
        Epoll.add(epoll, listener, events: Epoll.input | Epoll.exclusive, token: Self.listenerToken)
    }

    /// One step of shutdown; true when the loop may end.
    @inlinable func drainStep<Handler: EventLoopHandler>(_ handler: Handler, now: UInt64) -> Bool {
        if drainStarted == nil {
            drainStarted = now
            Epoll.remove(epoll, listener)
            handler.beginDrain()
        }
        return !handler.hasConnections || now - (drainStarted ?? now) >= shutdownTimeout
    }
}
