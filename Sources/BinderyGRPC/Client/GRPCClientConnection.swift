import BinderySystem
import CNghttp2
import Glibc

/// One HTTP/2 connection of a `GRPCClient` (h2c with prior knowledge): an nghttp2 client
/// session over a non-blocking socket, with the calls it carries by stream id. The loop feeds
/// it the bytes it reads and writes what it produces; calls that end or are refused during
/// that work are left in `ended` and `refused` for the loop.
///
/// Loop-thread only: the session's callbacks run inside `receive` and `flush`, on that thread.
final class GRPCClientConnection {
    let id: UInt64
    let fd: Int32
    let limit: Int
    private(set) var session: OpaquePointer?
    var calls: [Int32: GRPCClientCall] = [:]
    /// Bytes nghttp2 produced that the socket has not taken yet.
    private var output: [UInt8] = []
    private var outputOffset = 0
    /// After GOAWAY: no new streams; closed once the last call ends.
    var goingAway = false
    /// The server's first SETTINGS arrived: until then no call starts, as grpc-go's client waits
    /// for the server's preface; a server with a low MAX_CONCURRENT_STREAMS would otherwise
    /// refuse the streams opened before its limit was known.
    var settingsReceived = false
    /// Why the connection is unusable, once it is.
    private(set) var failure: String?
    /// Calls that ended during the last `receive`/`flush`, with their results.
    var ended: [(GRPCClientCall, GRPCClientResult)] = []
    /// Calls the server refused before processing them.
    var refused: [GRPCClientCall] = []
    /// After a refusal, the most streams to keep open until one of ours ends: a server may
    /// still count a stream that has ended on our side (grpcio does, under load), so sending
    /// into the slot at once would be refused again.
    var ceilingAfterRefusal: Int?

    init(fd: Int32, id: UInt64, configuration: GRPCClientConfiguration) {
        self.fd = fd
        self.id = id
        limit = configuration.maxMessageBytes
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        Self.install(callbacks)
        var created: OpaquePointer?
        let options = HTTP2Options.make()
        nghttp2_session_client_new2(&created, callbacks, Unmanaged.passUnretained(self).toOpaque(), options)
        nghttp2_session_callbacks_del(callbacks)
        nghttp2_option_del(options)
        session = created
        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                value: UInt32(configuration.windowBytes)),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: 16 << 20),
        ]
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, configuration.windowBytes)
    }

    deinit { nghttp2_session_del(session) }

    /// How many more streams the server allows now.
    var capacity: Int {
        guard failure == nil, !goingAway, let session else { return 0 }
        guard settingsReceived else { return 0 }
        let allowed = Int(nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS))
        return max(0, min(allowed, ceilingAfterRefusal ?? allowed) - calls.count)
    }

    /// Nothing more will happen on it: it failed, or it is going away with no calls left.
    var isFinished: Bool {
        failure != nil || (goingAway && calls.isEmpty && outputOffset == output.count)
            || (session.map { nghttp2_session_want_read($0) == 0 && nghttp2_session_want_write($0) == 0 } ?? true)
    }

    /// Opens a stream for `call`; false (with `failure` set) when nghttp2 refuses.
    func start(_ call: GRPCClientCall, authority: String, userAgent: String, now: UInt64) -> Bool {
        let fields = call.headerFields(authority: authority, userAgent: userAgent, now: now)
        var storage: [UnsafeMutablePointer<UInt8>] = []
        defer { for pointer in storage { pointer.deallocate() } }
        func copy(_ text: String) -> (UnsafeMutablePointer<UInt8>, Int) {
            let bytes = Array(text.utf8)
            let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            pointer.initialize(from: bytes, count: bytes.count)
            storage.append(pointer)
            return (pointer, bytes.count)
        }
        var headers = fields.map { name, value in
            let (namePointer, nameLength) = copy(name)
            let (valuePointer, valueLength) = copy(value)
            return nghttp2_nv(
                name: namePointer, value: valuePointer, namelen: nameLength, valuelen: valueLength,
                flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
        }
        var provider = nghttp2_data_provider()
        provider.read_callback = { _, streamID, buffer, length, flags, _, user in
            GRPCClientConnection.from(user).body(streamID, into: buffer, length: length, flags: flags)
        }
        let streamID = nghttp2_submit_request(session, nil, &headers, headers.count, &provider, nil)
        guard streamID > 0 else {
            failure = "cannot start a stream: \(String(cString: nghttp2_strerror(streamID)))"
            return false
        }
        calls[streamID] = call
        return true
    }

    /// Resets `streamID` with CANCEL and forgets its call (a deadline passed).
    func cancel(_ streamID: Int32) {
        calls[streamID] = nil
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, UInt32(NGHTTP2_CANCEL.rawValue))
    }

    /// Reads what the socket has and feeds it to nghttp2; false when the connection is lost.
    func receive(using buffer: UnsafeMutableRawBufferPointer) -> Bool {
        while failure == nil {
            switch Socket.read(fd, into: buffer) {
            case .bytes(let count):
                let used = nghttp2_session_mem_recv(
                    session, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count)
                if used < 0 { failure = "connection error: \(String(cString: nghttp2_strerror(Int32(used))))" }
            case .wouldBlock: return true
            case .endOfFile: failure = "error reading from server: EOF"
            case .failed(let errno): failure = "error reading from server: read: \(String(cString: strerror(errno)))"
            }
        }
        return false
    }

    /// Serialises pending frames and writes them; false when the connection is lost.
    func flush() -> Bool {
        while failure == nil {
            var chunk: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &chunk)
            if count < 0 {
                failure = "connection error: \(String(cString: nghttp2_strerror(Int32(count))))"
                break
            }
            guard count > 0, let chunk else { break }
            output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: count))
        }
        while failure == nil, outputOffset < output.count {
            switch output[outputOffset...].withUnsafeBytes({ Socket.write(fd, $0) }) {
            case .bytes(let count): outputOffset += count
            case .wouldBlock: return true
            case .endOfFile: failure = "error writing to server: EOF"
            case .failed(let errno): failure = "error writing to server: write: \(String(cString: strerror(errno)))"
            }
        }
        if outputOffset == output.count {
            output.removeAll(keepingCapacity: output.count <= 1 << 20)
            outputOffset = 0
        }
        return failure == nil
    }

    /// Marks the connection lost for `reason` (the loop then fails or retries its calls).
    func fail(_ reason: String) {
        if failure == nil { failure = reason }
    }

    /// nghttp2's read callback for a request body: copies the next bytes of the framed message.
    private func body(
        _ streamID: Int32, into buffer: UnsafeMutablePointer<UInt8>?, length: Int, flags: UnsafeMutablePointer<UInt32>?
    ) -> Int {
        guard let call = calls[streamID], let buffer else {
            flags?.pointee |= UInt32(NGHTTP2_DATA_FLAG_EOF.rawValue)
            return 0
        }
        let count = min(length, call.framed.count - call.sentBytes)
        call.framed.withUnsafeBufferPointer { bytes in
            buffer.update(from: bytes.baseAddress! + call.sentBytes, count: count)
        }
        call.sentBytes += count
        if call.sentBytes == call.framed.count { flags?.pointee |= UInt32(NGHTTP2_DATA_FLAG_EOF.rawValue) }
        return count
    }

    static func from(_ user: UnsafeMutableRawPointer?) -> GRPCClientConnection {
        Unmanaged<GRPCClientConnection>.fromOpaque(user!).takeUnretainedValue()
    }
}
