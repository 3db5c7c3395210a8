import Glibc
import Synchronization

/// One thread of a `ListeningServer`: an event loop that accepts from the shared listener.
package protocol ListenerLoop: AnyObject, Sendable {
    /// Starts the loop's thread.
    func start()
    /// Stops accepting and begins draining; returns at once.
    func beginShutdown()
    /// Waits for the loop's thread to end; not from that thread.
    func join()
}

/// One listening socket (TCP, or a Unix-domain socket when `unixSocketPath` is set) and the
/// `threads` loops that share it, each registered with EPOLLEXCLUSIVE: a new connection wakes
/// one idle loop, which accepts it and owns it for its life. Compared with SO_REUSEPORT
/// listeners this keeps one port (port 0 works as is), does not hash connections onto a busy
/// loop, and loses no queued connection when the server stops; compared with an acceptor thread
/// it needs no extra thread and no hand-off. The HTTP and gRPC servers are both one of these.
package final class ListeningServer<Loop: ListenerLoop>: Sendable {
    private enum State { case ready, running, stopped }

    /// The bound TCP port (the ephemeral one when asked for 0); 0 on a Unix socket.
    package let port: Int
    private let listener: Int32
    private let unixSocketPath: String?
    private let loops: [Loop]
    private let state = Mutex(State.ready)

    /// Listens as `settings` say and creates `settings.threads` loops with `makeLoop(listener,
    /// gate)`, sharing one `ConnectionGate` of `settings.maxConnections` whose warnings go to
    /// `scope` and describe refused connections as `refusal`. Connections queue in the kernel
    /// until `start`.
    package init(
        _ settings: some ListenerSettings, scope: String, refusal: String,
        makeLoop: (_ listener: Int32, _ gate: ConnectionGate) throws(SocketError) -> Loop
    ) throws(ListenerSetupError) {
        unixSocketPath = settings.unixSocketPath
        do {
            if let path = settings.unixSocketPath {
                (listener, port) = (try UnixSocket.listen(path: path, backlog: settings.backlog), 0)
            } else {
                (listener, port) = try Socket.listen(
                    host: settings.host, port: settings.port, backlog: settings.backlog)
            }
        } catch {
            throw ListenerSetupError(
                code: .listenFailed, reason: "cannot listen on \(settings.listenAddress): \(error)")
        }
        let gate = ConnectionGate(limit: settings.maxConnections, scope: scope, refusal: refusal)
        var loops: [Loop] = []
        do {
            for _ in 0..<settings.threads { loops.append(try makeLoop(listener, gate)) }
        } catch {
            Socket.close(listener)
            if let unixSocketPath { unlink(unixSocketPath) }
            throw ListenerSetupError(code: .eventLoopFailed, reason: "cannot create an event loop: \(error)")
        }
        self.loops = loops
    }

    deinit {
        shutdown()
        Socket.close(listener)
    }

    /// Starts the loop threads; connections queued since `init` are then accepted.
    package func start() {
        let starting = state.withLock { state in
            guard state == .ready else { return false }
            state = .running
            return true
        }
        if starting { for loop in loops { loop.start() } }
    }

    /// Stops accepting (new connects are refused), lets the loops drain and waits for their
    /// threads; removes the Unix socket file. Idempotent; not from a loop thread.
    package func shutdown() {
        let previous = state.withLock { state in
            let previous = state
            state = .stopped
            return previous
        }
        guard previous != .stopped else { return }
        defer { if let path = unixSocketPath { unlink(path) } }
        guard previous == .running else {
            Socket.shutdownListener(listener)
            return
        }
        for loop in loops { loop.beginShutdown() }  // first, so no loop calls accept on a dead listener
        Socket.shutdownListener(listener)
        for loop in loops { loop.join() }
    }
}
