import BinderySystem
import CNghttp2

// Per-connection work of a gRPC event loop: reading into nghttp2, dispatching calls, writing
// what nghttp2 produces, timeouts. Runs on the loop's thread only.
extension GRPCEventLoop {
    func handle(_ events: UInt32, on connection: GRPCConnection) {
        if events & Epoll.error != 0 {
            close(connection)
            return
        }
        if events & (Epoll.input | Epoll.readHangUp | Epoll.hangUp) != 0 { connection.readable = true }
        if events & (Epoll.readHangUp | Epoll.hangUp) != 0 { connection.hangUpSignalled = true }
        if events & Epoll.output != 0 { connection.writable = true }
        readAndProcess(connection)
        dirty.append(connection)
    }

    /// Feeds nghttp2 while the socket has bytes and the output is below the high-water mark (a
    /// client that does not read its replies is not read from either: its calls wait in the
    /// kernel, and its flow-control windows hold it back).
    func readAndProcess(_ connection: GRPCConnection) {
        while connection.readable, !isPaused(connection), connections[connection.id] != nil {
            switch Socket.read(connection.fd, into: readBuffer) {
            case .bytes(let n):
                // A short read drained the socket, and EPOLLET reports data that arrives later; not
                // so a FIN that came with these bytes (reported once, with them): read on to its EOF.
                if n < readBuffer.count, !connection.hangUpSignalled { connection.readable = false }
                let consumed = nghttp2_session_mem_recv(
                    connection.session, readBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self), n)
                dispatchReady(connection)
                if consumed < 0 {
                    fail(connection, code: Int32(consumed))
                    return
                }
            case .wouldBlock:
                connection.readable = false
            case .endOfFile, .failed:
                // Nobody is left to read replies to the calls in flight: they are dropped.
                close(connection)
                return
            }
        }
    }

    private func isPaused(_ connection: GRPCConnection) -> Bool {
        connection.output.count > configuration.outputHighWater
    }

    /// nghttp2 refused the input as a whole (no client preface, a flood of control frames): a
    /// GOAWAY goes out if the socket takes it at once, then the connection closes.
    private func fail(_ connection: GRPCConnection, code: Int32) {
        let reason = String(cString: nghttp2_strerror(code))
        Log.write(.debug, "connection \(connection.id): \(reason); closing it", scope: "grpc")
        nghttp2_session_terminate_session(connection.session, NGHTTP2_PROTOCOL_ERROR.rawValue)
        _ = connection.produceOutput(limit: .max)
        write(connection)
        close(connection)
    }

    /// Calls whose request ended, handed to the handler in arrival order.
    private func dispatchReady(_ connection: GRPCConnection) {
        guard !connection.ready.isEmpty else { return }
        let ready = connection.ready
        connection.ready.removeAll(keepingCapacity: true)
        for streamID in ready {
            guard let request = connection.takeRequest(streamID) else { continue }
            let (loop, connectionID) = (self, connection.id)
            handler(
                request,
                GRPCResponder { reply in
                    loop.complete(Completion(connection: connectionID, stream: streamID, reply: reply))
                })
        }
    }

    /// Lets nghttp2 serialise what is queued (replies, acks, window updates, GOAWAY) and writes
    /// it, for every connection touched this round; closes those nghttp2 is done with.
    func flushDirty() {
        while !dirty.isEmpty {
            let batch = dirty
            dirty.removeAll(keepingCapacity: true)
            for connection in batch where connections[connection.id] != nil {
                let wasPaused = isPaused(connection)
                // Until the socket or nghttp2 has no more: EPOLLOUT reports only a socket that
                // was full, so a socket that took everything must be offered more at once.
                var produced = 0
                repeat {
                    produced = connection.produceOutput(limit: configuration.outputHighWater)
                    write(connection)
                } while produced > 0 && connection.writable && connections[connection.id] != nil
                guard connections[connection.id] != nil else { continue }
                if connection.isFinished {
                    close(connection)
                } else if wasPaused, !isPaused(connection) {
                    readAndProcess(connection)
                    dirty.append(connection)
                }
            }
        }
    }

    func write(_ connection: GRPCConnection) {
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
    }

    /// Closes connections idle past `idleTimeout` (GOAWAY first) and resets those whose client
    /// has read none of their pending output for as long.
    func expireConnections(now: UInt64) {
        let idle = configuration.idleTimeout.nanoseconds
        // The marks may be later than `now`, read before this round's events were handled.
        func passed(_ since: UInt64) -> Bool { now > since && now - since >= idle }
        for connection in Array(connections.values) {
            if !connection.output.isEmpty, !connection.writable {
                if passed(connection.lastWriteProgress) { close(connection, abort: true) }
            } else if connection.streams.isEmpty, passed(connection.idleSince), !connection.terminating {
                connection.terminating = true
                nghttp2_session_terminate_session(connection.session, NGHTTP2_NO_ERROR.rawValue)
                dirty.append(connection)
            }
        }
    }
}
