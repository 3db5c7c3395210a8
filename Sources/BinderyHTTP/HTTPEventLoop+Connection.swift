import BinderySystem
import Glibc

// Per-connection work of an event loop: reading, parsing, dispatching, writing, timeouts.
// Runs on the loop's thread only.
extension HTTPEventLoop {
    package func handle(_ events: UInt32, on connection: HTTPConnection) {
        if events & Epoll.error != 0 {
            close(connection)
            return
        }
        if events & (Epoll.input | Epoll.readHangUp | Epoll.hangUp) != 0 { connection.readable = true }
        if events & (Epoll.readHangUp | Epoll.hangUp) != 0 { connection.hangUpSignalled = true }
        if events & Epoll.output != 0 { connection.writable = true }
        if connection.isLingering {
            discardInput(connection)
            return
        }
        readAndParse(connection)
        dirty.append(connection)
    }

    /// Reads while the socket has data and the connection is not paused, parsing as it goes.
    func readAndParse(_ connection: HTTPConnection) {
        parse(connection)
        while connection.readable, !paused(connection), connections[connection.id] != nil {
            switch Socket.read(connection.fd, into: readBuffer) {
            case .bytes(let n):
                connection.parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<n]))
                // A short read drained the socket, and EPOLLET reports data that arrives later; not
                // so a FIN that came with these bytes (reported once, with them): read on to its EOF.
                if n < readBuffer.count, !connection.hangUpSignalled { connection.readable = false }
                parse(connection)
            case .wouldBlock:
                connection.readable = false
            case .endOfFile:
                connection.readable = false
                connection.peerClosed = true
                connection.stopParsing = true
            case .failed:
                close(connection)
                return
            }
        }
    }

    private func paused(_ connection: HTTPConnection) -> Bool {
        connection.readPaused(
            maxPipelined: configuration.maxPipelinedRequests, highWater: configuration.outputHighWater)
    }

    /// Parses buffered requests and hands each to the handler.
    package func parse(_ connection: HTTPConnection) {
        while !paused(connection) {
            do {
                switch try connection.parser.next() {
                case .needMore:
                    noteProgress(connection)
                    return
                case .continueExpected:
                    if connection.slots.isEmpty {
                        connection.output.append(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                    } else {
                        connection.continueOwed = true
                    }
                case .request(let request):
                    dispatch(request, on: connection)
                }
            } catch {
                reject(connection, error)
                return
            }
        }
        noteProgress(connection)
    }

    /// Starts or clears the slow-client clock for the request being received.
    private func noteProgress(_ connection: HTTPConnection) {
        if connection.parser.hasPartialRequest, !paused(connection) {
            if connection.requestStarted == nil { connection.requestStarted = MonotonicClock.nanoseconds() }
        } else {
            connection.requestStarted = nil
        }
    }

    private func dispatch(_ request: HTTPRequest, on connection: HTTPConnection) {
        let keepAlive = request.keepAlive && !isStopping
        let sequence = connection.nextSequence
        connection.nextSequence += 1
        connection.slots.append(
            HTTPConnection.Slot(
                sequence: sequence, headOnly: request.method == "HEAD", close: !keepAlive,
                keepAlive10: keepAlive && request.version == .http10))
        connection.requestStarted = nil
        if !keepAlive { connection.stopParsing = true }
        handler(request, HTTPResponder(loop: self, connection: connection.id, sequence: sequence))
    }

    /// Answers a request that cannot be parsed after the responses owed before it, then closes.
    private func reject(_ connection: HTTPConnection, _ error: HTTPParseError) {
        Log.write(.debug, "connection \(connection.id): \(error.reason) → \(error.status)", scope: "http")
        connection.stopParsing = true
        let sequence = connection.nextSequence
        connection.nextSequence += 1
        connection.slots.append(
            HTTPConnection.Slot(
                sequence: sequence, headOnly: false, close: true, keepAlive10: false,
                response: HTTPResponse(
                    status: error.status, headers: ["Content-Type": "text/plain"], text: error.reason + "\n")))
        connection.requestStarted = nil
        dirty.append(connection)
    }

    /// Serialises ready responses and writes them, for every connection touched this round.
    func flushDirty() {
        while !dirty.isEmpty {
            let batch = dirty
            dirty.removeAll(keepingCapacity: true)
            for connection in batch where connections[connection.id] != nil && !connection.isLingering {
                let wasPaused = paused(connection)
                let owed = connection.slots.count
                connection.serializeReady(closingAll: isStopping, date: date.current())
                write(connection)
                guard connections[connection.id] != nil, !connection.isLingering else { continue }
                if owed > 0, connection.slots.isEmpty { connection.idleSince = MonotonicClock.nanoseconds() }
                if wasPaused, !paused(connection) { readAndParse(connection) }
                let nothingOwed = connection.slots.isEmpty && connection.output.isEmpty
                if nothingOwed, connection.peerClosed || (isStopping && connection.stopParsing) { close(connection) }
            }
        }
    }

    private func write(_ connection: HTTPConnection) {
        while !connection.output.isEmpty, connection.writable {
            switch connection.output.withUnsafeReadableBytes({ Socket.write(connection.fd, $0) }) {
            case .bytes(let n):
                connection.output.consume(n)
                connection.lastWriteProgress = MonotonicClock.nanoseconds()
            case .wouldBlock, .endOfFile:
                connection.writable = false
            case .failed:
                close(connection)
                return
            }
        }
        if connection.output.isEmpty, connection.closeAfterWrite { linger(connection) }
    }

    /// Half-closes after a closing response and discards what the client still sends.
    private func linger(_ connection: HTTPConnection) {
        if connection.peerClosed {
            close(connection)
            return
        }
        Socket.shutdownWrite(connection.fd)
        // Long enough for request bytes in flight to arrive; short while the server stops, and
        // for a connection refused at the limit (its descriptor is wanted).
        let short = isStopping || !connection.admitted
        let limit = min(configuration.requestTimeout.nanoseconds, short ? 100_000_000 : 2_000_000_000)
        connection.phase = .lingering(until: MonotonicClock.nanoseconds() + limit)
        discardInput(connection)
    }

    private func discardInput(_ connection: HTTPConnection) {
        var discarded = 0
        while connection.readable {
            switch Socket.read(connection.fd, into: readBuffer) {
            case .bytes(let n):
                discarded += n
                if discarded > 1 << 20 {
                    close(connection)
                    return
                }
            case .wouldBlock:
                connection.readable = false
            case .endOfFile, .failed:
                close(connection)
                return
            }
        }
    }

    /// Closes connections that stayed idle, receive a request too slowly, or stopped reading.
    func expireTimers(now: UInt64) {
        let idle = configuration.idleTimeout.nanoseconds
        let request = configuration.requestTimeout.nanoseconds
        let write = configuration.writeTimeout.nanoseconds
        for connection in Array(connections.values) {
            if case .lingering(let until) = connection.phase {
                if now >= until { close(connection) }
            } else if !connection.output.isEmpty, !connection.writable {
                if now - connection.lastWriteProgress >= write { close(connection, abort: true) }
            } else if let started = connection.requestStarted {
                if now - started >= request { timeOut(connection) }
            } else if connection.isIdle, now - connection.idleSince >= idle {
                close(connection)
            }
        }
    }

    /// A request did not arrive in time: 408 when nothing else is owed on the connection.
    private func timeOut(_ connection: HTTPConnection) {
        guard connection.slots.isEmpty, connection.output.isEmpty else {
            close(connection)
            return
        }
        connection.stopParsing = true
        connection.requestStarted = nil
        connection.slots.append(
            HTTPConnection.Slot(
                sequence: connection.nextSequence, headOnly: false, close: true, keepAlive10: false,
                response: HTTPResponse(
                    status: 408, headers: ["Content-Type": "text/plain"], text: "request not received in time\n")))
        connection.nextSequence += 1
        dirty.append(connection)
        flushDirty()
    }
}
