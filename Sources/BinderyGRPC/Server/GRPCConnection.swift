import BinderySystem
import CNghttp2

/// One client connection: its socket, its nghttp2 server session and its calls in flight.
/// Owned by one event loop and touched only on its thread; nghttp2 calls back into it (through
/// `GRPCSessionCallbacks`) only from inside `nghttp2_session_mem_recv`/`mem_send`, which the
/// loop calls.
final class GRPCConnection {
    let fd: Int32
    let id: UInt64
    unowned let loop: GRPCEventLoop
    private(set) var session: OpaquePointer!
    var streams: [Int32: GRPCStream] = [:]
    /// Streams whose request ended with one message, for the loop to hand to the handler.
    var ready: [Int32] = []
    var output = GRPCOutputBuffer()
    /// Reused for every header block this connection submits (nghttp2 copies the fields).
    var scratch = GRPCHeaderBlock()
    var readable = false
    var writable = false
    var hangUpSignalled = false
    /// When the last call ended (or the connection opened): for `idleTimeout`.
    var idleSince: UInt64
    var lastWriteProgress: UInt64
    /// GOAWAY submitted for an idle connection.
    var terminating = false
    /// Shutdown: GOAWAY notice and PING sent; the PING's ack sends the final GOAWAY.
    private var draining = false
    /// nghttp2 failed to serialise output (out of memory): nothing more can be sent.
    private var broken = false

    init(fd: Int32, id: UInt64, loop: GRPCEventLoop, now: UInt64) {
        (self.fd, self.id, self.loop, idleSince, lastWriteProgress) = (fd, id, loop, now, now)
        var created: OpaquePointer?
        let rc = nghttp2_session_server_new2(
            &created, loop.callbacks, Unmanaged.passUnretained(self).toOpaque(), loop.options)
        precondition(rc == 0 && created != nil, "nghttp2_session_server_new: \(rc)")  // only fails out of memory
        session = created
        let configuration = loop.configuration
        var settings = [
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                value: configuration.maxConcurrentStreams),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                value: UInt32(configuration.streamWindowBytes)),
        ]
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        nghttp2_session_set_local_window_size(
            session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, configuration.connectionWindowBytes)
    }

    /// Frees the session once the loop has closed the socket.
    func release() {
        if let session { nghttp2_session_del(session) }
        session = nil
        streams.removeAll()
    }

    /// nghttp2 has nothing more to read or write (GOAWAY exchanged and no stream open, or a
    /// connection error), and every byte is written.
    var isFinished: Bool {
        broken
            || (nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0 && output.isEmpty)
    }

    /// Serialises queued frames into `output` until it holds `limit` bytes; returns how many
    /// bytes were added.
    func produceOutput(limit: Int) -> Int {
        var produced = 0
        while output.count < limit {
            var chunk: UnsafePointer<UInt8>?
            let n = nghttp2_session_mem_send(session, &chunk)
            guard n > 0, let chunk else {
                if n < 0 { broken = true }
                break
            }
            output.append(UnsafeRawBufferPointer(start: chunk, count: n))
            produced += n
        }
        return produced
    }

    /// Shutdown's first step: GOAWAY with the largest stream id (calls already on their way are
    /// still served), and a PING whose ack says the client has seen it.
    func beginDrain() {
        guard !draining else { return }
        draining = true
        nghttp2_submit_shutdown_notice(session)
        nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
    }

    // MARK: nghttp2's receive-side events (GRPCSessionCallbacks)

    func beginRequest(_ streamID: Int32) {
        streams[streamID] = GRPCStream(id: streamID, limit: loop.configuration.maxMessageBytes)
    }

    /// The request HEADERS are complete: refuse what is not a gRPC call, start the deadline.
    func headersReceived(_ streamID: Int32) {
        guard let stream = streams[streamID] else { return }
        guard stream.isPost else {
            // grpc-go resets a stream whose :method is not POST.
            stream.replied = true
            nghttp2_submit_rst_stream(
                session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_PROTOCOL_ERROR.rawValue)
            return
        }
        guard stream.isGRPC else {
            let type = stream.contentType ?? ""
            replyEarly(
                stream, GRPCStatus(.invalidArgument, "invalid gRPC request content-type \"\(type)\""), httpStatus: 415)
            return
        }
        if let problem = stream.headerProblem {
            replyEarly(stream, GRPCStatus(.internal, problem))
            return
        }
        if let timeout = stream.timeout {
            let now = MonotonicClock.nanoseconds()
            stream.deadline = timeout >= UInt64.max - now ? .max : now + timeout
            loop.pushDeadline(stream.deadline, connection: id, stream: streamID)
        }
    }

    func dataReceived(_ streamID: Int32, _ bytes: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID], !stream.replied else { return }
        if let status = stream.feed(bytes) { replyEarly(stream, status) }
    }

    /// END_STREAM from the client: a call with one message is ready for the handler.
    func requestEnded(_ streamID: Int32) {
        guard let stream = streams[streamID] else { return }
        stream.requestEnded = true
        guard !stream.replied else { return }
        if let status = stream.finish() {
            replyEarly(stream, status)
        } else {
            ready.append(streamID)
        }
    }

    /// The request of a ready stream, its message and metadata moved out.
    func takeRequest(_ streamID: Int32) -> GRPCRequest? {
        guard let stream = streams[streamID], !stream.replied, let message = stream.message else { return nil }
        stream.message = nil
        let metadata = stream.metadata
        stream.metadata = GRPCMetadata()
        return GRPCRequest(path: stream.path, metadata: metadata, message: message, deadline: stream.deadline)
    }

    func streamClosed(_ streamID: Int32) {
        streams.removeValue(forKey: streamID)
        if streams.isEmpty { idleSince = MonotonicClock.nanoseconds() }
    }

    func pingAcknowledged() {
        guard draining, !terminating else { return }
        terminating = true
        nghttp2_submit_goaway(
            session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session),
            NGHTTP2_NO_ERROR.rawValue, nil, 0)
    }
}
