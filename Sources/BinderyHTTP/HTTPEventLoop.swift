import BinderySystem
import Synchronization

/// One event-loop thread of an `HTTPServer`: the connections it accepted, on an
/// `EventLoopCore` (the thread, epoll set, shared listener and the eventfd that wakes it for
/// responses from other threads). Handlers run here and must return quickly.
///
/// `@unchecked Sendable`: the connection table, `dirty` and `date` are touched only on the
/// loop's own thread (the core's `run` and what it calls), and so is `local` (`complete` checks
/// the thread before using it); other threads reach the loop only through `complete`, which
/// queues in `inbox`, a Mutex, and wakes the core through its eventfd.
package final class HTTPEventLoop: EventLoopHandler, ListenerLoop, @unchecked Sendable {
    package struct Completion: Sendable {
        package let connection: UInt64
        package let sequence: UInt64
        package let response: HTTPResponse
    }

    package let configuration: HTTPServerConfiguration
    let handler: @Sendable (HTTPRequest, HTTPResponder) -> Void
    package let core: EventLoopCore
    var gate: ConnectionGate { core.gate }
    var readBuffer: UnsafeMutableRawBufferPointer { core.readBuffer }

    private let inbox = Mutex<[Completion]>([])

    // Loop-thread state.
    private var local: [Completion] = []
    var connections: [UInt64: HTTPConnection] = [:]
    var dirty: [HTTPConnection] = []
    var date = HTTPDate()

    package init(
        configuration: HTTPServerConfiguration, listener: Int32, gate: ConnectionGate,
        handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void
    ) throws(SocketError) {
        self.configuration = configuration
        self.handler = handler
        let shortest = min(configuration.idleTimeout, configuration.requestTimeout, configuration.writeTimeout)
            .nanoseconds
        core = try EventLoopCore(
            listener: listener, gate: gate, threadName: "http-loop",
            scanInterval: min(max(shortest / 10, 1_000_000), 250_000_000),
            shutdownTimeout: configuration.shutdownTimeout.nanoseconds)
    }

    /// Hands a response to the loop from any thread; on the loop's own thread (a handler that
    /// answered at once) it is queued without a wake-up and applied before the next wait.
    package func complete(_ completion: Completion) {
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

    package var hasLocalCompletions: Bool { !local.isEmpty }

    package func takeInbox() {
        let taken = inbox.withLock { queue in
            let items = queue
            queue.removeAll(keepingCapacity: true)
            return items
        }
        for completion in taken { apply(completion) }
    }

    package func applyLocalCompletions() {
        while !local.isEmpty {
            let taken = local
            local.removeAll(keepingCapacity: true)
            for completion in taken { apply(completion) }
        }
    }

    package var hasConnections: Bool { !connections.isEmpty }

    package func handle(_ events: UInt32, token: UInt64) {
        if let connection = connections[token] { handle(events, on: connection) }
    }

    private func apply(_ completion: Completion) {
        guard let connection = connections[completion.connection] else { return }  // closed meanwhile
        if connection.fill(completion.sequence, with: completion.response) {
            dirty.append(connection)
        } else {
            Log.write(.debug, "response for request \(completion.sequence) ignored (sent twice?)", scope: "http")
        }
    }

    package func flush() { flushDirty() }

    package func scan(now: UInt64) { expireTimers(now: now) }

    package func accept(_ fd: Int32, token: UInt64, now: UInt64) {
        let connection = HTTPConnection(fd: fd, id: token, limits: configuration.parserLimits, now: now)
        connections[connection.id] = connection
        core.register(fd, token: connection.id)
        connection.admitted = gate.admit()
        if !connection.admitted { refuse(connection, now: now) }
    }

    /// Past `maxConnections`: answers 503 and closes (lingering like any closing response), so
    /// the client learns why instead of waiting in the queue, and those served keep their
    /// descriptors.
    private func refuse(_ connection: HTTPConnection, now: UInt64) {
        connection.stopParsing = true
        connection.slots.append(
            HTTPConnection.Slot(
                sequence: 0, headOnly: false, close: true, keepAlive10: false,
                response: HTTPResponse(
                    status: 503, headers: ["Content-Type": "text/plain", "Retry-After": "1"],
                    text: "server at its connection limit (\(gate.limit) open connections); try again later\n")))
        connection.nextSequence = 1
        dirty.append(connection)
        gate.noteRefused(now: now)
    }

    /// Shutdown: connections with nothing owed close now, the others once it is written.
    package func beginDrain() {
        for connection in Array(connections.values) {
            connection.stopParsing = true
            if connection.slots.isEmpty, connection.output.isEmpty {
                close(connection)
            } else {
                dirty.append(connection)
            }
        }
        flushDirty()
    }

    package func closeAll() {
        for connection in Array(connections.values) { close(connection) }
    }

    /// Closes and forgets a connection; `abort` resets it instead (a peer that stopped reading).
    package func close(_ connection: HTTPConnection, abort: Bool = false) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        if connection.admitted { gate.release() }
        core.unregister(connection.fd)
        if abort { Socket.abort(connection.fd) } else { Socket.close(connection.fd) }
    }
}
