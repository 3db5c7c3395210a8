import BinderySystem

/// An HTTP/1.1 server on a fixed set of epoll loop threads.
///
/// Threading: `configuration.threads` loops share one listening socket (`ListeningServer`); the
/// loop that accepts a connection owns it for its life.
/// The handler runs on the loop thread and must return quickly; `HTTPResponder.send` may be
/// called later from any thread (it wakes the loop through an eventfd).
package final class HTTPServer: Sendable {
    package let configuration: HTTPServerConfiguration
    /// The bound port (the ephemeral one when the configuration said 0; 0 on a Unix socket).
    package let port: Int
    private let server: ListeningServer<HTTPEventLoop>

    package init(
        _ configuration: HTTPServerConfiguration, handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void
    ) throws(HTTPServerError) {
        try Self.validate(configuration)
        self.configuration = configuration
        do {
            server = try ListeningServer(configuration, scope: "http", refusal: "answered 503 and closed") {
                listener, gate throws(SocketError) in
                try HTTPEventLoop(configuration: configuration, listener: listener, gate: gate, handler: handler)
            }
        } catch {
            throw HTTPServerError(
                code: error.code == .listenFailed ? .listenFailed : .eventLoopFailed, reason: error.reason)
        }
        port = server.port
    }

    /// Starts the loop threads; connections queued since `init` are then accepted.
    package func start() { server.start() }

    /// Stops accepting (new connects are refused), lets responses already owed be written
    /// (bounded by `shutdownTimeout`), closes every connection and waits for the loop threads.
    /// Idempotent; must not be called from a handler (a loop thread).
    package func shutdown() { server.shutdown() }

    private static func validate(_ c: HTTPServerConfiguration) throws(HTTPServerError) {
        func fail(_ reason: String) -> HTTPServerError { HTTPServerError(code: .invalidConfiguration, reason: reason) }
        if let problem = c.listenerProblem { throw fail(problem) }
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
