import BinderySystem
import Dispatch
import Synchronization

/// A gRPC client for unary calls over one HTTP/2 connection (h2c, prior knowledge) to a TCP
/// `host:port` or a Unix-domain socket, on libnghttp2 and a loop thread of its own.
///
/// Calls are multiplexed as streams, up to the server's SETTINGS_MAX_CONCURRENT_STREAMS; the
/// rest wait in line. The connection opens on the first call and again after it failed or the
/// server sent GOAWAY; calls the server did not process (past GOAWAY's last stream id, refused,
/// or never sent) go out again on the new connection, the others fail UNAVAILABLE. A call that
/// cannot connect fails UNAVAILABLE at once with the dial error (grpc-go's fail-fast calls).
package final class GRPCClient: Sendable {
    package let target: GRPCTarget
    package let configuration: GRPCClientConfiguration
    private let loop: GRPCClientLoop

    /// Starts the client's loop thread (no connection yet); throws when epoll, an eventfd or
    /// the thread cannot be had.
    package init(target: GRPCTarget, configuration: GRPCClientConfiguration = GRPCClientConfiguration())
        throws(SystemError)
    {
        self.target = target
        self.configuration = configuration
        loop = try GRPCClientLoop(target: target, configuration: configuration)
        try loop.start().get()
    }

    deinit { loop.stop() }

    /// Makes one unary call and waits for its result. Blocks: call it from a thread of your own,
    /// never from a `done` callback (the loop thread).
    ///
    /// `timeout` becomes `grpc-timeout` and the call's deadline: past it the stream is reset
    /// (RST_STREAM CANCEL) and the call ends DEADLINE_EXCEEDED.
    package func call(
        _ path: String, metadata: GRPCMetadata = GRPCMetadata(), message: [UInt8], timeout: Duration? = nil
    ) -> GRPCClientResult {
        precondition(
            !loop.isLoopThread, "GRPCClient.call(_:metadata:message:timeout:) blocks: not on the client's loop")
        let outcome = Mutex<GRPCClientResult?>(nil)
        let finished = DispatchSemaphore(value: 0)
        call(path, metadata: metadata, message: message, timeout: timeout) { result in
            outcome.withLock { $0 = result }
            finished.signal()
        }
        finished.wait()
        return outcome.withLock { $0 } ?? GRPCClientResult(status: GRPCClientLoop.closingStatus)
    }

    /// Starts one unary call; `done` receives its result exactly once, on the client's loop
    /// thread, and must return quickly.
    package func call(
        _ path: String, metadata: GRPCMetadata = GRPCMetadata(), message: [UInt8], timeout: Duration? = nil,
        done: @escaping @Sendable (GRPCClientResult) -> Void
    ) {
        let deadline = timeout.map { MonotonicClock.nanoseconds() + Self.nanoseconds($0) } ?? 0
        let call = GRPCClientCall(
            path: path, metadata: metadata, message: message, deadline: deadline, limit: configuration.maxMessageBytes,
            done: done)
        loop.post(.call(call))
    }

    /// `duration` in whole nanoseconds, at least 1 (a zero timeout has passed already).
    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 1 }
        let (total, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max / 2 : max(1, total + UInt64(attoseconds / 1_000_000_000))
    }

    /// Fails the calls in flight CANCELLED ("grpc: the client connection is closing"), closes the
    /// connection and ends the loop thread; later calls fail the same way. Idempotent.
    package func close() { loop.stop() }
}
