import BinderySystem
import Glibc
import Synchronization

/// A gRPC server (unary calls over HTTP/2 without TLS, "prior knowledge") on a fixed set of
/// epoll loop threads, TCP or a Unix-domain socket.
///
/// Why libnghttp2 drives HTTP/2 here: it does framing, HPACK, flow control and the protocol's
/// checks but no I/O, so our own epoll loops feed it bytes and write what it produces; gRPC's
/// C core would bring its own threads and some 25 abseil libraries.
///
/// Threading, as `HTTPServer`: the loops share one listener registered with EPOLLEXCLUSIVE; the
/// loop that accepts a connection owns it and its nghttp2 session for life. The handler runs on
/// that loop's thread and must return quickly; `GRPCResponder.send` may be called later from
/// any thread (an eventfd wakes the loop), or at once on the loop thread (no wake-up needed).
package final class GRPCServer: Sendable {
    private enum State { case ready, running, stopped }

    package let configuration: GRPCServerConfiguration
    /// The bound TCP port (the ephemeral one when the configuration said 0); 0 on a Unix socket.
    package let port: Int
    private let listener: Int32
    private let loops: [GRPCEventLoop]
    private let state = Mutex(State.ready)

    package init(
        _ configuration: GRPCServerConfiguration, handler: @escaping @Sendable (GRPCRequest, GRPCResponder) -> Void
    ) throws(GRPCServerError) {
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
            throw GRPCServerError(code: .listenFailed, reason: "cannot listen on \(configuration.address): \(error)")
        }
        let gate = GRPCConnectionGate(limit: configuration.maxConnections)
        var loops: [GRPCEventLoop] = []
        do {
            for _ in 0..<configuration.threads {
                loops.append(
                    try GRPCEventLoop(configuration: configuration, listener: listener, gate: gate, handler: handler))
            }
        } catch {
            Socket.close(listener)
            throw GRPCServerError(code: .eventLoopFailed, reason: "cannot create an event loop: \(error)")
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

    /// Stops accepting, sends every client GOAWAY (a notice, then the final one with the last
    /// stream it will serve), lets calls in flight finish for at most `shutdownTimeout`, closes
    /// every connection and waits for the loop threads. Idempotent; not from a handler.
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

    private static func validate(_ c: GRPCServerConfiguration) throws(GRPCServerError) {
        func fail(_ reason: String) -> GRPCServerError { GRPCServerError(code: .invalidConfiguration, reason: reason) }
        guard (0...65535).contains(c.port) else { throw fail("port \(c.port) is not in 0...65535") }
        guard c.threads >= 1 else { throw fail("threads must be at least 1, got \(c.threads)") }
        guard c.maxConnections >= 1 else { throw fail("maxConnections must be at least 1, got \(c.maxConnections)") }
        guard c.maxMessageBytes >= 0, c.maxMessageBytes <= Int(Int32.max) else {
            throw fail("maxMessageBytes must be in 0...\(Int32.max), got \(c.maxMessageBytes)")
        }
        guard c.maxConcurrentStreams >= 1 else { throw fail("maxConcurrentStreams must be at least 1") }
        guard c.streamWindowBytes >= 65535, c.connectionWindowBytes >= 65535 else {
            throw fail("flow-control windows must be at least 65535 bytes")
        }
        guard c.outputHighWater >= 1 else { throw fail("outputHighWater must be positive") }
        guard c.idleTimeout > .zero, c.shutdownTimeout >= .zero else { throw fail("timeouts must be positive") }
    }
}
