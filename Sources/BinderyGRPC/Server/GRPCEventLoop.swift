import BinderySystem
import CNghttp2
import Synchronization

/// One event-loop thread of a `GRPCServer`: the connections it accepted and their calls'
/// deadlines, on an `EventLoopCore` (the thread, epoll set, shared listener and the eventfd that
/// wakes it for replies from other threads).
///
/// `@unchecked Sendable`: the connection table, `dirty` and the deadlines are touched only on
/// the loop's own thread (the core's `run` and what it calls), and so is `local` (`complete`
/// checks the thread before using it); other threads reach the loop only through `complete`,
/// which queues in `inbox`, a Mutex, and wakes the core through its eventfd.
final class GRPCEventLoop: EventLoopHandler, ListenerLoop, @unchecked Sendable {
    /// A reply handed to the loop for stream `stream` of connection `connection`.
    struct Completion: Sendable {
        let connection: UInt64
        let stream: Int32
        let reply: GRPCReply
    }

    let configuration: GRPCServerConfiguration
    let handler: @Sendable (GRPCRequest, GRPCResponder) -> Void
    let core: EventLoopCore
    var gate: ConnectionGate { core.gate }
    var readBuffer: UnsafeMutableRawBufferPointer { core.readBuffer }
    /// The nghttp2 callback table every session of this loop is created with (nghttp2 copies it).
    let callbacks: OpaquePointer
    let options = HTTP2Options.make()

    private let inbox = Mutex<[Completion]>([])

    // Loop-thread state.
    private var local: [Completion] = []
    var connections: [UInt64: GRPCConnection] = [:]
    var dirty: [GRPCConnection] = []
    var deadlines = GRPCDeadlineHeap()

    init(
        configuration: GRPCServerConfiguration, listener: Int32, gate: ConnectionGate,
        handler: @escaping @Sendable (GRPCRequest, GRPCResponder) -> Void
    ) throws(SocketError) {
        self.configuration = configuration
        self.handler = handler
        callbacks = GRPCSessionCallbacks.make()
        do {
            core = try EventLoopCore(
                listener: listener, gate: gate, threadName: "grpc-loop",
                scanInterval: min(max(configuration.idleTimeout.nanoseconds / 10, 1_000_000), 250_000_000),
                shutdownTimeout: configuration.shutdownTimeout.nanoseconds)
        } catch {
            nghttp2_session_callbacks_del(callbacks)
            nghttp2_option_del(options)
            throw error
        }
    }

    deinit {
        nghttp2_session_callbacks_del(callbacks)
        nghttp2_option_del(options)
    }

    /// Hands a reply to the loop from any thread; on the loop's own thread (a handler that
    /// answered at once) it is queued without a wake-up and applied before the next wait.
    func complete(_ completion: Completion) {
        if core.isLoopThread {
            local.append(completion)
            return
        }
        let wasEmpty = inbox.withLock { queue in
            let empty = queue.isEmpty
            queue.append(completion)
            return empty
        }
        if wasEmpty { core.wake() }
    }

    var hasLocalCompletions: Bool { !local.isEmpty }

    func takeInbox() {
        let taken = inbox.withLock { queue in
            let items = queue
            queue.removeAll(keepingCapacity: true)
            return items
        }
        for completion in taken { apply(completion) }
    }

    func applyLocalCompletions() {
        while !local.isEmpty {
            let taken = local
            local.removeAll(keepingCapacity: true)
            for completion in taken { apply(completion) }
        }
    }

    var hasConnections: Bool { !connections.isEmpty }

    var nextDeadline: UInt64? { deadlines.earliest }

    func handle(_ events: UInt32, token: UInt64) {
        if let connection = connections[token] { handle(events, on: connection) }
    }

    private func apply(_ completion: Completion) {
        // A connection closed meanwhile, a stream reset or answered at its deadline: dropped.
        guard let connection = connections[completion.connection] else { return }
        if connection.reply(to: completion.stream, with: completion.reply) { dirty.append(connection) }
    }

    func flush() {
        expireDeadlines(now: MonotonicClock.nanoseconds())
        flushDirty()
    }

    func scan(now: UInt64) { expireConnections(now: now) }

    func pushDeadline(_ deadline: UInt64, connection: UInt64, stream: Int32) {
        if deadlines.needsCompaction {
            deadlines.compact { entry in
                guard let stream = connections[entry.connection]?.streams[entry.stream] else { return false }
                return !stream.replied
            }
        }
        deadlines.push(deadline, connection: connection, stream: stream)
    }

    /// Answers DEADLINE_EXCEEDED for calls whose `grpc-timeout` has passed.
    private func expireDeadlines(now: UInt64) {
        while let entry = deadlines.popExpired(now: now) {
            guard let connection = connections[entry.connection] else { continue }
            let status = GRPCStatus(.deadlineExceeded, "context deadline exceeded")
            if connection.reply(to: entry.stream, with: GRPCReply(status: status)) { dirty.append(connection) }
        }
    }

    func accept(_ fd: Int32, token: UInt64, now: UInt64) {
        guard gate.admit() else {
            Socket.close(fd)
            gate.noteRefused(now: now)
            return
        }
        let connection = GRPCConnection(fd: fd, id: token, loop: self, now: now)
        connections[connection.id] = connection
        core.register(fd, token: connection.id)
        dirty.append(connection)  // the server's SETTINGS go out at once
    }

    /// Shutdown: every connection is sent a GOAWAY notice and a PING; its ack brings the final
    /// GOAWAY (`GRPCConnection`), after which a connection closes once its last call is answered.
    func beginDrain() {
        for connection in connections.values {
            connection.beginDrain()
            dirty.append(connection)
        }
        flushDirty()
    }

    func closeAll() {
        for connection in Array(connections.values) { close(connection) }
    }

    /// Closes and forgets a connection; `abort` resets it (a peer that stopped reading).
    func close(_ connection: GRPCConnection, abort: Bool = false) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        gate.release()
        core.unregister(connection.fd)
        if abort { Socket.abort(connection.fd) } else { Socket.close(connection.fd) }
        connection.release()
    }
}
