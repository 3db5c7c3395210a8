import BinderySystem
import Glibc
import Synchronization

/// An HTTP/1.1 server on a fixed set of epoll loop threads.
///
/// Threading: `configuration.threads` loops share one non-blocking listening socket, each
/// registered with EPOLLEXCLUSIVE, so a new connection wakes one idle loop, which accepts it and
/// owns it for its life. Compared with SO_REUSEPORT listeners this keeps one port (port 0 works
/// as is), does not hash connections onto a busy loop, and loses no queued connection when the
/// server stops; compared with an acceptor thread it needs no extra thread and no hand-off.
/// The handler runs on the loop thread and must return quickly; `HTTPResponder.send` may be
/// called later from any thread (it wakes the loop through an eventfd).
package final class HTTPServer: Sendable {
    private enum State { case ready, running, stopped }

    package let configuration: HTTPServerConfiguration
    /// The bound port (the ephemeral one when the configuration said 0; 0 on a Unix socket).
    package let port: Int
    private let listener: Int32
    private let loops: [HTTPEventLoop]
    private let state = Mutex(State.ready)

    package init(
        _ configuration: HTTPServerConfiguration, handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void
    ) throws(HTTPServerError) {
        try Self.validate(configuration)
        self.configuration = configuration
        do {
            if let path = configuration.unixSocketPath {
                (listener, port) = (try UnixSocket.listen(path: path, backlog: configuration.backlog), 0)
            } else {
                (listener, port) = try Socket.listen(
                    host: configuration.host, port: configuration.port, backlog: configuration.backlog)
            }
        } catch {
            let address = configuration.unixSocketPath ?? "\(configuration.host):\(configuration.port)"
            throw HTTPServerError(code: .listenFailed, reason: "cannot listen on \(address): \(error)")
        }
        var loops: [HTTPEventLoop] = []
        let gate = HTTPConnectionGate(limit: configuration.maxConnections)
        do {
            for _ in 0..<configuration.threads {
                loops.append(
                    try HTTPEventLoop(configuration: configuration, listener: listener, gate: gate, handler: handler))
            }
        } catch {
            Socket.close(listener)
            throw HTTPServerError(code: .eventLoopFailed, reason: "cannot create an event loop: \(error)")
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

    /// Stops accepting (new connects are refused), lets responses already owed be written
    /// (bounded by `shutdownTimeout`), closes every connection and waits for the loop threads.
    /// Idempotent; must not be called from a handler (a loop thread).
    package func shutdown() {
        let previous = state.withLock { state in
            let previous = state
            state = .stopped
            return previous
        }
        guard previous != .stopped else { return }
        defer { if let path = configuration.unixSocketPath { unlink(path) } }
        guard previous == .running else {
            Socket.shutdownListener(listener)
            return
        }
        for loop in loops { loop.beginShutdown() }  // first, so no loop calls accept on a dead listener
        Socket.shutdownListener(listener)
        for loop in loops { loop.join() }
    }

    private static func validate(_ c: HTTPServerConfiguration) throws(HTTPServerError) {
        func fail(_ reason: String) -> HTTPServerError { HTTPServerError(code: .invalidConfiguration, reason: reason) }
        guard (0...65535).contains(c.port) else { throw fail("port \(c.port) is not in 0...65535") }
        guard c.threads >= 1 else { throw fail("threads must be at least 1, got \(c.threads)") }
        guard c.maxConnections >= 1 else { throw fail("maxConnections must be at least 1, got \(c.maxConnections)") }
        guard c.maxHeaderBytes >= 256 else {
            throw fail("maxHeaderBytes must be at least 256, got \(c.maxHeaderBytes)")
        }
        guard c.maxBodyBytes >= 0, c.maxHeaderCount >= 1, c.maxPipelinedRequests >= 1, c.outputHighWater >= 1 else {
            throw fail("limits must be positive")
        }
        guard c.idleTimeout > .zero, c.requestTimeout > .zero, c.writeTimeout > .zero else {
            throw fail("timeouts must be positive")
        }
    }
}
