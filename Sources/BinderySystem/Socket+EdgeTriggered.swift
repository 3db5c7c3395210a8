// What a connection on an edge-triggered (EPOLLET) epoll registration does with its socket:
// fold each report into its readiness, and write until EAGAIN.

/// Bytes waiting to be written to a non-blocking socket: a connection's output buffer.
package protocol SocketOutput {
    var isEmpty: Bool { get }
    /// The bytes not yet written, front first.
    func withPendingBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R
    /// Drops the first `count` pending bytes, which the socket took.
    mutating func removeWritten(_ count: Int)
}

extension Socket {
    /// Writes `output` to `fd` while the socket takes it (edge-triggered: until EAGAIN). Sets
    /// `writable` false when the socket is full (EPOLLOUT will say when it has room) and
    /// `progress` to the time of each write that took bytes (for a write timeout); false when
    /// the write failed and the connection is to be closed.
    @inlinable package static func flush(
        _ output: inout some SocketOutput, to fd: Int32, writable: inout Bool, progress: inout UInt64
    ) -> Bool {
        while !output.isEmpty, writable {
            switch output.withPendingBytes({ write(fd, $0) }) {
            case .bytes(let n):
                output.removeWritten(n)
                progress = MonotonicClock.nanoseconds()
            case .wouldBlock, .endOfFile:
                writable = false
            case .failed:
                return false
            }
        }
        return true
    }
}

extension Epoll {
    /// Folds one report for an edge-triggered connection into its readiness not yet consumed:
    /// `readable` (data, or EOF to read), `writable`, and `hangUpSignalled` (the peer shut down
    /// its side: read on until EOF, not only until a short read). False on EPOLLERR: close the
    /// connection.
    @inlinable package static func note(
        _ events: UInt32, readable: inout Bool, writable: inout Bool, hangUpSignalled: inout Bool
    ) -> Bool {
        guard events & Self.error == 0 else { return false }
        if events & (Self.input | Self.readHangUp | Self.hangUp) != 0 { readable = true }
        if events & (Self.readHangUp | Self.hangUp) != 0 { hangUpSignalled = true }
        if events & Self.output != 0 { writable = true }
        return true
    }
}
