/// The server-specific part of an event loop (HTTP/1.1, gRPC…): its connections and what it
/// does with their bytes. `EventLoopCore` owns the thread, epoll set, listener and eventfd, and
/// calls these on the loop's thread only, from `run`.
///
/// One round of the loop: `accept` / `handle` / `takeInbox` for what epoll reported (the last
/// when another thread called `EventLoopCore.wake`), then `applyLocalCompletions`, then
/// `flush`, then `scan` every scan interval while connections are open. At shutdown: `beginDrain` once, rounds
/// until `hasConnections` is false or the shutdown timeout passed, then `closeAll`.
package protocol EventLoopHandler: AnyObject, Sendable {
    /// The shared machinery this handler runs on.
    var core: EventLoopCore { get }
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
    /// Work handed to the loop on its own thread (a handler that answered at once) is waiting:
    /// the loop does not sleep before `applyLocalCompletions`.
    var hasLocalCompletions: Bool { get }
    /// The loop was woken (`EventLoopCore.wake`, its eventfd already drained): take what other
    /// threads queued.
    func takeInbox()
    /// Applies what was handed to the loop on its own thread, until none is left.
    func applyLocalCompletions()
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
    package var nextDeadline: UInt64? { nil }

    /// Starts the loop's thread.
    package func start() { core.start(self) }

    /// Stops accepting and begins draining; returns at once.
    package func beginShutdown() { core.beginShutdown() }

    /// Waits for the loop's thread to end; not from that thread.
    package func join() { core.join() }

    /// The loop has begun to shut down: keep-alive ends, new work is refused.
    package var isStopping: Bool { core.isStopping }
}
