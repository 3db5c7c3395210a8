import BinderySystem
import Glibc

/// Where a `GRPCClient` connects: a TCP `host:port`, or a Unix-domain socket path (as daprd's
/// app channel reaches an app over `--app-channel-address` or a socket).
package enum GRPCTarget: Sendable, Equatable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// As in errors: `127.0.0.1:50051`, `unix:/run/app.sock`.
    package var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }

    /// The `:authority` of requests: `host:port`, or `localhost` for a socket (grpc-go's choice).
    package var authority: String {
        switch self {
        case .tcp: description
        case .unix: "localhost"
        }
    }

    /// Opens a connected non-blocking socket. Blocks up to `timeoutMilliseconds` for TCP (a
    /// Unix-domain connect completes at once or fails).
    func connect(timeoutMilliseconds: Int32) throws(SocketError) -> Int32 {
        switch self {
        case .tcp(let host, let port):
            try Socket.connect(host: host, port: port, timeoutMilliseconds: timeoutMilliseconds)
        case .unix(let path):
            try UnixSocket.connect(path: path)
        }
    }

    /// A failed dial as grpc-go words it (daprd's errors quote this text), e.g.
    /// `connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:1: connect:
    /// connection refused"`.
    func dialFailure(_ error: SocketError) -> String {
        var reason = String(cString: strerror(error.errno))
        if let first = reason.first { reason = first.lowercased() + reason.dropFirst() }
        if error.errno == ETIMEDOUT { reason = "i/o timeout" }
        let network: String
        switch self {
        case .tcp: network = "tcp \(description)"
        case .unix(let path): network = "unix \(path)"
        }
        let call = error.call.hasPrefix("getaddrinfo") ? "lookup" : "connect"
        return "connection error: desc = \"transport: Error while dialing: dial \(network): \(call): \(reason)\""
    }
}
