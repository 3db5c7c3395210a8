import BinderySystem
import Glibc
import Synchronization

/// A blocking HTTP/1.1 client with a keep-alive pool per host:port, for delivering events to the
/// app. Calls block the calling thread: run them on dedicated delivery threads, never on Swift
/// concurrency's or Dispatch's shared pools.
package final class HTTPClient: Sendable {
    package let configuration: HTTPClientConfiguration
    fileprivate let pool = Mutex<[String: [HTTPClientConnection]]>([:])

    package init(_ configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
    }

    deinit { closeIdleConnections() }

    /// Sends one request and returns the complete response (any status). `timeout` bounds this
    /// request (connect included) instead of the configuration's `requestTimeout`.
    ///
    /// A connection taken from the pool that turns out closed before any byte of the response
    /// arrived is replaced by a new one and the request sent once more (a keep-alive race
    /// with the server's idle timeout, RFC 9112 9.3.1); other failures are thrown.
    package func send(
        _ method: String, host: String, port: Int, path: String, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        timeout: Duration? = nil
    ) throws(HTTPClientError) -> HTTPResponse {
        let target = "\(method) \(host):\(port)\(path)"
        let deadline = (timeout ?? configuration.requestTimeout).map { MonotonicClock.nanoseconds() + $0.nanoseconds }
        let wire = Self.serialize(method, host: host, port: port, path: path, headers: headers, body: body)
        var retried = false
        while true {
            let (connection, reused) = try acquire(host: host, port: port, deadline: deadline, target: target)
            do {
                let (response, reusable) = try connection.exchange(
                    wire, method: method, deadline: deadline, limits: configuration, target: target)
                if reusable { release(connection, key: "\(host):\(port)") } else { connection.close() }
                return response
            } catch {
                connection.close()
                if reused, !retried, error.nothingReceived {
                    retried = true
                    continue
                }
                throw error.error
            }
        }
    }

    /// Closes every pooled connection.
    func closeIdleConnections() {
        let all = pool.withLock { pool in
            let all = pool.values.flatMap { $0 }
            pool.removeAll()
            return all
        }
        for connection in all { connection.close() }
    }

    /// Pooled idle connections to `host:port`.
    func idleConnectionCount(host: String, port: Int) -> Int {
        pool.withLock { $0["\(host):\(port)"]?.count ?? 0 }
    }

    private func acquire(host: String, port: Int, deadline: UInt64?, target: String) throws(HTTPClientError) -> (
        HTTPClientConnection, Bool
    ) {
        let key = "\(host):\(port)"
        let idleLimit = configuration.idleTimeout.nanoseconds
        while let pooled = pool.withLock({ $0[key]?.popLast() }) {
            if MonotonicClock.nanoseconds() - pooled.idleSince < idleLimit, !Socket.peerClosed(pooled.fd) {
                return (pooled, true)
            }
            pooled.close()
        }
        var timeout = configuration.connectTimeout?.nanoseconds
        if let deadline {
            let now = MonotonicClock.nanoseconds()
            guard deadline > now else {
                throw HTTPClientError(code: .timeout, target: target, reason: "request timed out before connecting")
            }
            timeout = min(timeout ?? .max, deadline - now)
        }
        return (try HTTPClientConnection.open(host: host, port: port, timeout: timeout, target: target), false)
    }

    private func release(_ connection: HTTPClientConnection, key: String) {
        connection.idleSince = MonotonicClock.nanoseconds()
        let kept = pool.withLock { pool in
            guard pool[key, default: []].count < configuration.maxIdlePerHost else { return false }
            pool[key, default: []].append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    static func serialize(
        _ method: String, host: String, port: Int, path: String, headers: HTTPHeaders, body: [UInt8]
    ) -> [UInt8] {
        var out = Array("\(method) \(path.isEmpty ? "/" : path) HTTP/1.1\r\n".utf8)
        if !headers.contains("Host") { out.append(contentsOf: "Host: \(host):\(port)\r\n".utf8) }
        for field in headers
        where !HTTPHeaders.same(field.name, "Content-Length") && !HTTPHeaders.same(field.name, "Transfer-Encoding")
            && !HTTPHeaders.same(field.name, "Connection")
        {
            // Event metadata become these headers: one that is not valid HTTP is never written.
            if let problem = HTTPHeaders.problem(with: field) {
                HTTPDroppedHeaders.shared.report(field, in: "request", problem: problem)
                continue
            }
            out.append(contentsOf: "\(field.name): \(field.value)\r\n".utf8)
        }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            out.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: body)
        return out
    }
}

extension HTTPClient {
    /// The socket of the most recently pooled idle connection to `host:port`, or -1 (tests).
    func peekIdleFD(host: String, port: Int) -> Int32 {
        pool.withLock { $0["\(host):\(port)"]?.last?.fd ?? -1 }
    }
}
