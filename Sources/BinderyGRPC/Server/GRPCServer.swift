import BinderySystem

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
    package let configuration: GRPCServerConfiguration
    /// The bound TCP port (the ephemeral one when the configuration said 0); 0 on a Unix socket.
    package let port: Int
    private let server: ListeningServer<GRPCEventLoop>

    package init(
        _ configuration: GRPCServerConfiguration, handler: @escaping @Sendable (GRPCRequest, GRPCResponder) -> Void
    ) throws(GRPCServerError) {
        try Self.validate(configuration)
        self.configuration = configuration
        do {
            server = try ListeningServer(configuration, scope: "grpc", refusal: "closed") {
                listener, gate throws(SocketError) in
                try GRPCEventLoop(configuration: configuration, listener: listener, gate: gate, handler: handler)
            }
        } catch {
            throw GRPCServerError(
                code: error.code == .listenFailed ? .listenFailed : .eventLoopFailed, reason: error.reason)
        }
        port = server.port
    }

    /// Starts the loop threads; connections queued since `init` are then accepted.
    package func start() { server.start() }

    /// Stops accepting, sends every client GOAWAY (a notice, then the final one with the last
    /// stream it will serve), lets calls in flight finish for at most `shutdownTimeout`, closes
    /// every connection and waits for the loop threads. Idempotent; not from a handler.
    package func shutdown() { server.shutdown() }

    private static func validate(_ c: GRPCServerConfiguration) throws(GRPCServerError) {
        func fail(_ reason: String) -> GRPCServerError { GRPCServerError(code: .invalidConfiguration, reason: reason) }
        if let problem = c.listenerProblem { throw fail(problem) }
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
