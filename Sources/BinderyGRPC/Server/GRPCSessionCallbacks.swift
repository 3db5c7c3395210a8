import CNghttp2

/// The nghttp2 callbacks of a server session. Each turns the session's `user_data` back into
/// its `GRPCConnection` (unretained: the loop holds the connection until it frees the session)
/// and forwards the event. They run inside `nghttp2_session_mem_recv`/`mem_send`, on the loop.
enum GRPCSessionCallbacks {
    /// A new callback table; the caller frees it with `nghttp2_session_callbacks_del`.
    static func make() -> OpaquePointer {
        var table: OpaquePointer?
        precondition(nghttp2_session_callbacks_new(&table) == 0 && table != nil, "nghttp2: out of memory")
        nghttp2_session_callbacks_set_on_begin_headers_callback(table, beginHeaders)
        nghttp2_session_callbacks_set_on_header_callback(table, header)
        nghttp2_session_callbacks_set_on_frame_recv_callback(table, frameReceived)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(table, dataChunk)
        nghttp2_session_callbacks_set_on_stream_close_callback(table, streamClosed)
        nghttp2_session_callbacks_set_on_frame_send_callback(table, frameSent)
        return table!
    }

    private static func connection(_ userData: UnsafeMutableRawPointer?) -> GRPCConnection {
        Unmanaged<GRPCConnection>.fromOpaque(userData!).takeUnretainedValue()
    }

    private static let headersType = UInt8(NGHTTP2_HEADERS.rawValue)
    private static let dataType = UInt8(NGHTTP2_DATA.rawValue)
    private static let pingType = UInt8(NGHTTP2_PING.rawValue)
    private static let endStream = UInt8(NGHTTP2_FLAG_END_STREAM.rawValue)
    private static let ack = UInt8(NGHTTP2_FLAG_ACK.rawValue)

    private static let beginHeaders: nghttp2_on_begin_headers_callback = { session, frame, userData in
        guard let frame, frame.pointee.hd.type == headersType, frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST else {
            return 0
        }
        let (connection, streamID) = (connection(userData), frame.pointee.hd.stream_id)
        connection.beginRequest(streamID)
        // For `header`, called once per field: the stream through nghttp2's own stream table
        // rather than a dictionary lookup each time. Unretained: `streams` holds the stream
        // until nghttp2 closes it (`streamClosed`) or the session is freed (`release`).
        if let stream = connection.streams[streamID] {
            nghttp2_session_set_stream_user_data(session, streamID, Unmanaged.passUnretained(stream).toOpaque())
        }
        return 0
    }

    private static let header: nghttp2_on_header_callback = {
        session, frame, name, nameLength, value, valueLength, _, _ in
        guard let frame, frame.pointee.hd.type == headersType, frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST,
            let stream = nghttp2_session_get_stream_user_data(session, frame.pointee.hd.stream_id)
        else { return 0 }
        Unmanaged<GRPCStream>.fromOpaque(stream).takeUnretainedValue().take(
            name: UnsafeRawBufferPointer(start: name, count: nameLength),
            value: UnsafeRawBufferPointer(start: value, count: valueLength))
        return 0
    }

    private static let frameReceived: nghttp2_on_frame_recv_callback = { _, frame, userData in
        guard let frame else { return 0 }
        let connection = connection(userData)
        let header = frame.pointee.hd
        switch header.type {
        case headersType:
            if frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST { connection.headersReceived(header.stream_id) }
            if header.flags & endStream != 0 { connection.requestEnded(header.stream_id) }
        case dataType:
            if header.flags & endStream != 0 { connection.requestEnded(header.stream_id) }
        case pingType:
            if header.flags & ack != 0 { connection.pingAcknowledged() }
        default: break
        }
        return 0
    }

    private static let dataChunk: nghttp2_on_data_chunk_recv_callback = { _, _, streamID, data, length, userData in
        connection(userData).dataReceived(streamID, UnsafeRawBufferPointer(start: data, count: length))
        return 0
    }

    private static let streamClosed: nghttp2_on_stream_close_callback = { _, streamID, _, userData in
        connection(userData).streamClosed(streamID)
        return 0
    }

    private static let frameSent: nghttp2_on_frame_send_callback = { _, frame, userData in
        guard let frame, frame.pointee.hd.type == headersType else { return 0 }
        connection(userData).frameSent(frame.pointee.hd.stream_id, endStream: frame.pointee.hd.flags & endStream != 0)
        return 0
    }

    static let readBody: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, _, userData in
        connection(userData).readBody(streamID, into: buffer!, length: length, flags: flags!)
    }
}
