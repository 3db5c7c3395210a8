import BinderySystem
import Glibc

/// How an `HTTPServer` listens and what it tolerates. Durations are wall-clock limits.
package struct HTTPServerConfiguration: ListenerSettings, Sendable {
    /// IPv4 or IPv6 literal to bind; loopback unless told otherwise.
    package var host = "127.0.0.1"
    /// 0 picks an ephemeral port (read it from `HTTPServer.port`).
    package var port = 0
    /// When set, the server listens on this Unix-domain socket instead of TCP (daprd's
    /// `--unix-domain-socket`); a stale socket file there is replaced, and removed at shutdown.
    package var unixSocketPath: String? = nil
    /// Event-loop threads; the default is one per core.
    package var threads = HTTPServerConfiguration.coreCount
    package var backlog: Int32 = 1024
    /// Connections open at once; one more is answered 503 and closed, so that a flood of
    /// connections cannot take every file descriptor from the ones being served.
    package var maxConnections = HTTPServerConfiguration.defaultMaxConnections
    /// Request line plus headers; larger → 431.
    var maxHeaderBytes = 16 * 1024
    /// Header fields per request; more → 431.
    var maxHeaderCount = 100
    /// Request body after de-chunking; larger → 413 (Dapr's `--max-body-size` default is 4 MiB).
    package var maxBodyBytes = 4 * 1024 * 1024
    /// A keep-alive connection with no request in progress is closed after this long.
    var idleTimeout: Duration = .seconds(60)
    /// A request's head and body must arrive within this long of its first byte, else the
    /// connection is closed (with 408 when no response is owed on it).
    var requestTimeout: Duration = .seconds(30)
    /// A client that reads nothing of a pending response for this long is dropped.
    var writeTimeout: Duration = .seconds(30)
    /// Requests one connection may have awaiting responses (pipelining) before reading pauses.
    var maxPipelinedRequests = 32
    /// Response bytes buffered per connection above which reading pauses (write backpressure).
    var outputHighWater = 256 * 1024
    /// `shutdown()` waits this long for in-flight responses before closing anyway.
    var shutdownTimeout: Duration = .seconds(10)

    package init() {}

    var parserLimits: HTTPRequestParser.Limits {
        HTTPRequestParser.Limits(
            maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes, maxHeaderCount: maxHeaderCount)
    }

    /// 10,000, or less where the open-file limit (RLIMIT_NOFILE) is low: a quarter of it (at
    /// least 64) stays for what else the process opens (drivers' sockets and files, the log).
    package static var defaultMaxConnections: Int {
        guard let files = ConnectionGate.openFileLimit else { return 10_000 }
        return max(1, min(10_000, files - max(64, files / 4)))
    }

    static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
