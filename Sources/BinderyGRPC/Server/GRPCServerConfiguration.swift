import BinderySystem

/// How a `GRPCServer` listens and what it tolerates.
package struct GRPCServerConfiguration: ListenerSettings, Sendable {
    /// IPv4 or IPv6 literal to bind; loopback unless told otherwise.
    package var host = "127.0.0.1"
    /// 0 picks an ephemeral port (read it from `GRPCServer.port`).
    package var port = 0
    /// When set, the server listens on this Unix-domain socket instead of TCP (a stale socket
    /// file there is replaced, and removed at shutdown).
    package var unixSocketPath: String? = nil
    /// Event-loop threads; each owns the connections it accepted.
    package var threads = 1
    package var backlog: Int32 = 1024
    /// Request and response messages larger than this are refused with RESOURCE_EXHAUSTED
    /// (shared with `--max-body-size`, 4 MiB by default as in Dapr).
    package var maxMessageBytes = 4 << 20
    /// SETTINGS_MAX_CONCURRENT_STREAMS announced to each client.
    package var maxConcurrentStreams: UInt32 = 1000
    /// Connections open at once; one more is closed at once (the client sees UNAVAILABLE and
    /// may retry), so that a flood cannot take every file descriptor from those being served.
    package var maxConnections = 10_000
    /// SETTINGS_INITIAL_WINDOW_SIZE per stream (HTTP/2's 64 KiB default would make a 4 MiB
    /// request wait for 64 round trips of WINDOW_UPDATE).
    package var streamWindowBytes: Int32 = 1 << 20
    /// The receive window of a whole connection.
    package var connectionWindowBytes: Int32 = 16 << 20
    /// Response bytes buffered per connection above which the loop stops reading from it, so a
    /// client that sends calls but reads no replies is held back.
    package var outputHighWater = 1 << 20
    /// `shutdown()` lets calls in flight finish for this long before closing anyway.
    package var shutdownTimeout: Duration = .seconds(5)
    /// A connection with no call in flight for this long is sent GOAWAY and closed; so is one
    /// whose pending output the client has not read for this long.
    package var idleTimeout: Duration = .seconds(300)

    package init(
        host: String = "127.0.0.1", port: Int = 0, unixSocketPath: String? = nil, threads: Int = 1,
        maxMessageBytes: Int = 4 << 20, maxConcurrentStreams: UInt32 = 1000, shutdownTimeout: Duration = .seconds(5),
        idleTimeout: Duration = .seconds(300)
    ) {
        (self.host, self.port, self.unixSocketPath, self.threads) = (host, port, unixSocketPath, threads)
        (self.maxMessageBytes, self.maxConcurrentStreams) = (maxMessageBytes, maxConcurrentStreams)
        (self.shutdownTimeout, self.idleTimeout) = (shutdownTimeout, idleTimeout)
    }
}
