/// Where and how a `ListeningServer` listens: what every server's configuration says (the HTTP
/// and gRPC configurations conform as they are).
package protocol ListenerSettings: Sendable {
    /// IPv4 or IPv6 literal to bind.
    var host: String { get }
    /// 0 picks an ephemeral port.
    var port: Int { get }
    /// When set, a Unix-domain socket at this path instead of TCP.
    var unixSocketPath: String? { get }
    var backlog: Int32 { get }
    /// Event-loop threads.
    var threads: Int { get }
    /// Connections open at once, across the loops.
    var maxConnections: Int { get }
}

extension ListenerSettings {
    /// What is wrong with these settings, for a configuration error; nil when nothing.
    package var listenerProblem: String? {
        guard (0...65535).contains(port) else { return "port \(port) is not in 0...65535" }
        guard threads >= 1 else { return "threads must be at least 1, got \(threads)" }
        guard maxConnections >= 1 else { return "maxConnections must be at least 1, got \(maxConnections)" }
        return nil
    }

    /// Where the server listens, for messages.
    package var listenAddress: String { unixSocketPath ?? "\(host):\(port)" }
}

/// Why a `ListeningServer` could not be set up: `listenFailed` (bind, listen, the socket path)
/// or `eventLoopFailed` (epoll, eventfd); `reason` names the address and the system's error.
package struct ListenerSetupError: Error, Sendable {
    package enum Code: Sendable { case listenFailed, eventLoopFailed }
    package let code: Code
    package let reason: String
}
