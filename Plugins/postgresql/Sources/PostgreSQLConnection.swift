import CLibpq
import DriverKit
import Glibc

/// One libpq connection, driven with the asynchronous API on its worker's thread: connecting
/// (PQconnectPoll), sending (PQsendQueryParams, PQflush) and reading (PQconsumeInput,
/// PQgetResult) only ever wait in the worker's poll(2), so a stop or a deadline interrupts them.
final class PostgreSQLConnection {
    /// What a wait in poll(2) ended with.
    enum Wait {
        case ready(Int16)
        case timedOut, stopping
    }
    typealias Waiter = (_ fd: Int32, _ events: Int16, _ deadline: UInt64?) -> Wait

    private(set) var conn: OpaquePointer?
    private(set) var connectedAt: UInt64 = 0
    private let settings: PostgreSQLSettings
    let waiter: Waiter

    init(settings: PostgreSQLSettings, waiter: @escaping Waiter) {
        self.settings = settings
        self.waiter = waiter
    }

    /// The socket to watch, or -1 without a connection.
    var socket: Int32 { conn.map { PQsocket($0) } ?? -1 }

    var isOpen: Bool { conn != nil && PQstatus(conn) == CONNECTION_OK }

    /// Opens the connection unless it is open; throws the error a request should fail with.
    func open(deadline: UInt64) throws(DriverError) {
        if isOpen { return }
        close()
        let keys = settings.keywords.map { strdup($0.key) } + [nil]
        let values = settings.keywords.map { strdup($0.value) } + [nil]
        defer { for pointer in keys + values { free(pointer) } }
        let started = keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                PQconnectStartParams(k.baseAddress, v.baseAddress, 0)
            }
        }
        guard let started else { throw unavailable("out of memory") }
        conn = started
        var state = PGRES_POLLING_WRITING
        while PQstatus(started) != CONNECTION_BAD {
            if state == PGRES_POLLING_OK { break }
            let events = Int16(state == PGRES_POLLING_READING ? POLLIN : POLLOUT)
            switch waiter(PQsocket(started), events, deadline) {
            case .stopping:
                close()
                throw PostgreSQLRequest.stopping
            case .timedOut:
                close()
                throw unavailable("timeout: no connection within \(settings.timeout)")
            case .ready: state = PQconnectPoll(started)
            }
            if state == PGRES_POLLING_FAILED { break }
        }
        guard PQstatus(started) == CONNECTION_OK else {
            let reason = message()
            close()
            throw unavailable(reason)
        }
        PQsetnonblocking(started, 1)
        connectedAt = PostgreSQLWorker.now()
    }

    func close() {
        if let conn { PQfinish(conn) }
        conn = nil
    }

    /// libpq's last error, trimmed.
    func message() -> String { ConnectionString.trimmed(conn.map { String(cString: PQerrorMessage($0)) } ?? "") }

    private func unavailable(_ reason: String) -> DriverError {
        DriverError(
            .unavailable, "error executing query: failed to connect to `\(settings.target)`: \(reason)",
            retryable: true)
    }

    /// True when the server closed an idle connection (a restart, an admin's kill): reads what
    /// arrived and reports whether the connection is still usable.
    func stillUsable() -> Bool {
        guard let conn else { return false }
        return PQconsumeInput(conn) == 1 && PQstatus(conn) == CONNECTION_OK
    }

    /// Sends `request` (with `params` in place of its own, when given); false when libpq
    /// refused before anything was sent (a broken connection).
    func send(_ request: PostgreSQLRequest, params: [String?]? = nil) -> Bool {
        guard let conn else { return false }
        if request.simple { return PQsendQuery(conn, request.sql) == 1 }
        var bytes: [CChar] = []
        var lengths: [Int32] = []
        for param in params ?? request.params {
            guard let param else {
                lengths.append(-1)
                continue
            }
            let utf8 = Array(param.utf8CString)
            lengths.append(Int32(utf8.count - 1))
            bytes += utf8
        }
        if bytes.isEmpty { bytes.append(0) }
        return bytes.withUnsafeBufferPointer { b in
            lengths.withUnsafeBufferPointer { l in
                bd_pq_send(
                    conn, request.sql, Int32(lengths.count), b.baseAddress, l.baseAddress, params == nil ? 0 : 1) == 1
            }
        }
    }

    /// Asks the server to cancel the running statement (a separate connection; blocking, short).
    func cancel() {
        guard let conn, let cancel = PQgetCancel(conn) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
        PQfreeCancel(cancel)
    }
}
