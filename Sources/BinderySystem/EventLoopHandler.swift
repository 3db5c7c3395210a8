/// The server-specific part of an event loop (HTTP/1.1, gRPC…): its connections and what it
/// does with their bytes. `EventLoopCore` owns the thread, epoll set, listener and inbox, and
/// calls these on the loop's thread only, from `run`.
///
/// One round of the loop: `accept` / `handle` / `apply` for what epoll reported and what other
/// threads handed in, then `apply` for what the round itself completed, then `flush`, then
/// `scan` every scan interval while connections are open. At shutdown: `beginDrain` once, rounds
/// until `hasConnections` is false or the shutdown timeout passed, then `closeAll`.
package protocol EventLoopHandler: AnyObject, Sendable {
    /// What other threads (and the loop itself) hand to the loop: a response, a reply.
    associatedtype Completion: Sendable

    /// The shared machinery this handler runs on.
    var core: EventLoopCore<Completion> { get }
    /// Connections open: the loop then scans timers every scan interval.
    var hasConnections: Bool { get }
    /// The earliest time (monotonic ns) something of the handler's expires, if any; the loop
    /// wakes for it.
    var nextDeadline: UInt64? { get }

    /// A connection accepted from the listener; `token` (2 or more, never reused) is for its
    /// epoll registration (`EventLoopCore.register`).
    func accept(_ fd: Int32, token: UInt64, now: UInt64)
    /// epoll reported `events` for registration `token` (a connection, maybe closed since).
    func handle(_ events: UInt32, token: UInt64)
    /// A completion handed to `EventLoopCore.complete`.
    func apply(_ completion: Completion)
    /// End of a round: write what it produced.
    func flush()
    /// Every scan interval while connections are open: idle, slow and stuck connections.
    func scan(now: UInt64)
    /// Shutdown's first step (the listener is already out of the epoll set): read no new
    /// requests, finish what is owed.
    func beginDrain()
    /// The loop ends: close every connection left.
    func closeAll()
}

extension EventLoopHandler {
    @inlinable package var nextDeadline: UInt64? { nil }

    /// Starts the loop's thread.
    @inlinable package func start() { core.start(self) }

    /// Stops accepting and begins draining; returns at once.
    @inlinable package func beginShutdown() { core.beginShutdown() }

    /// Waits for the loop's thread to end; not from that thread.
    @inlinable package func join() { core.join() }

    /// The loop has begun to shut down: keep-alive ends, new work is refused.
    @inlinable package var isStopping: Bool { core.isStopping }
}
