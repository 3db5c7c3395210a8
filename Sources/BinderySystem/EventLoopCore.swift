import Glibc
import Synchronization

/// What every event-loop thread of a `ListeningServer` does whatever protocol it serves: an
/// epoll set with the shared listener (EPOLLEXCLUSIVE) and an eventfd that other threads signal
/// when they hand the loop work; accepting, and pausing that after accept4 fails; timer scans;
/// draining at shutdown. The protocol lives in an `EventLoopHandler`, whose `run` this is.
///
/// Not generic, and the handler is called as `any EventLoopHandler`: methods of a generic class
/// are not specialised across modules even when @inlinable (Swift 6.3), and unspecialised, the
/// completion queue cost 3.4% more instructions per HTTP request (bench/instructions.py). The
/// completion queues therefore stay in the handlers, typed.
///
/// `@unchecked Sendable`: the scan, drain and accept-pause state and `readBuffer` are touched
/// only on the loop's own thread (`run` and what it calls); what other threads touch
/// (`stopping`, `loopThread`, the eventfd) is an Atomic or a descriptor, and `thread` is written
/// by `start` before `join` reads it, both on the thread that owns the server.
package final class EventLoopCore: @unchecked Sendable {
    private static let listenerToken: UInt64 = 0
    private static let wakeToken: UInt64 = 1

    package let listener: Int32
    package let gate: ConnectionGate
    package let epoll: Int32
    private let wakeFD: Int32
    private let threadName: String
    private let scanInterval: UInt64
    private let shutdownTimeout: UInt64

    private let stopping = Atomic<Bool>(false)
    private let loopThread = Atomic<UInt>(0)
    private var thread = pthread_t()

    // Loop-thread state.
    /// Scratch space for reads, shared by the loop's connections.
    package let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private var nextToken: UInt64 = 2
    private var nextScan: UInt64 = 0
    private var drainStarted: UInt64?
    /// Set while the listener is out of the epoll set after a failed accept.
    private var acceptPausedUntil: UInt64?

    /// A loop on `listener` named `threadName`, scanning timers every `scanInterval` ns and
    /// waiting at most `shutdownTimeout` ns for connections to drain.
    package init(
        listener: Int32, gate: ConnectionGate, threadName: String, scanInterval: UInt64, shutdownTimeout: UInt64
    ) throws(SocketError) {
        (self.listener, self.gate, self.threadName) = (listener, gate, threadName)
        (self.scanInterval, self.shutdownTimeout) = (scanInterval, shutdownTimeout)
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
        // EPOLLEXCLUSIVE: a new connection wakes one waiting loop, not all of them.
        Epoll.add(epoll, listener, events: Epoll.input | Epoll.exclusive, token: Self.listenerToken)
    }

    deinit {
        readBuffer.deallocate()
        Socket.close(epoll)
        Socket.close(wakeFD)
    }

    /// Starts the loop's thread, running `handler`.
    func start(_ handler: any EventLoopHandler) {
        switch HostThread.start(threadName, joinable: true, { self.run(handler) }) {
        case .success(let started): thread = started
        case .failure(let error): preconditionFailure("\(error)")
        }
    }

    /// Stops accepting and begins draining; returns at once.
    func beginShutdown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        EventFD.signal(wakeFD)
    }

    /// Waits for the loop's thread to end.
    func join() {
        precondition(!isLoopThread, "shutdown() called from one of its own event-loop threads (\(threadName))")
        pthread_join(thread, nil)
    }

    package var isLoopThread: Bool { loopThread.load(ordering: .acquiring) == UInt(pthread_self()) }

    package var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Wakes the loop from another thread: its handler has work queued for it (`takeInbox`).
    package func wake() { EventFD.signal(wakeFD) }

    /// Adds an accepted connection to the epoll set, edge-triggered, for reading and writing.
    package func register(_ fd: Int32, token: UInt64) {
        Epoll.add(epoll, fd, events: Epoll.input | Epoll.output | Epoll.readHangUp | Epoll.edgeTriggered, token: token)
    }

    /// Takes a connection out of the epoll set (before closing it).
    package func unregister(_ fd: Int32) { Epoll.remove(epoll, fd) }

    private func run(_ handler: any EventLoopHandler) {
        loopThread.store(UInt(pthread_self()), ordering: .releasing)
        let events = Epoll.Events(capacity: 256)
        defer { events.deallocate() }
        while true {
            let count = Epoll.wait(epoll, into: events, timeoutMilliseconds: waitTimeout(handler))
            for index in 0..<count {
                let event = events[index]
                switch event.token {
                case Self.listenerToken: acceptConnections(handler)
                case Self.wakeToken:
                    EventFD.drain(wakeFD)  // before the handler takes its queue, so a later append signals again
                    handler.takeInbox()
                case let token: handler.handle(event.events, token: token)
                }
            }
            handler.applyLocalCompletions()
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
    /// accept pause; 0 while the handler has completions of its own to apply; -1 (wait for ever)
    /// with nothing to time.
    private func waitTimeout(_ handler: any EventLoopHandler) -> Int32 {
        if handler.hasLocalCompletions { return 0 }
        var next = min(acceptPausedUntil ?? .max, handler.nextDeadline ?? .max)
        if handler.hasConnections || drainStarted != nil { next = min(next, nextScan) }
        guard next != .max else { return -1 }
        let now = MonotonicClock.nanoseconds()
        guard next > now else { return 0 }
        return Int32(min((next - now + 999_999) / 1_000_000, 1000))
    }

    private func acceptConnections(_ handler: any EventLoopHandler) {
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
    private func pauseAccepting(after error: SocketError) {
        let now = MonotonicClock.nanoseconds()
        Epoll.remove(epoll, listener)
        acceptPausedUntil = now + ConnectionGate.acceptPause
        gate.noteAcceptFailure(error, now: now)
    }

    private func resumeAccepting(now: UInt64) {
        acceptPausedUntil = nil
        gate.reportIfDue(now: now)
        guard !isStopping else { return }
        Epoll.add(epoll, listener, events: Epoll.input | Epoll.exclusive, token: Self.listenerToken)
    }

    /// One step of shutdown; true when the loop may end.
    private func drainStep(_ handler: any EventLoopHandler, now: UInt64) -> Bool {
        if drainStarted == nil {
            drainStarted = now
            Epoll.remove(epoll, listener)
            handler.beginDrain()
        }
        return !handler.hasConnections || now - (drainStarted ?? now) >= shutdownTimeout
    }
}
