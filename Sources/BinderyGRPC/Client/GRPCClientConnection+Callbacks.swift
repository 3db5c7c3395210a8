import CNghttp2

/// nghttp2's callbacks for a client session: plain C functions that find their connection
/// through the session's user data (`Unmanaged`, unretained: the connection owns the session).
extension GRPCClientConnection {
    static func install(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_header_callback(callbacks) {
            _, frame, name, nameLength, value, valueLength, _, user in
            guard let frame, let name, let value else { return 0 }
            GRPCClientConnection.from(user).header(
                frame, name: String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
                value: String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self))
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, user in
            GRPCClientConnection.from(user).data(streamID, UnsafeRawBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, user in
            GRPCClientConnection.from(user).streamClosed(streamID, errorCode: errorCode)
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
            guard let frame else { return 0 }
            GRPCClientConnection.from(user).frameReceived(frame)
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, user in
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
            GRPCClientConnection.from(user).calls[frame.pointee.hd.stream_id]?.headersSent = true
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_not_send_callback(callbacks) { _, frame, _, user in
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
            let connection = GRPCClientConnection.from(user)
            // A request nghttp2 would not send (GOAWAY arrived first): never processed.
            if let call = connection.calls.removeValue(forKey: frame.pointee.hd.stream_id) {
                connection.refused.append(call)
            }
            return 0
        }
    }

    private func header(_ frame: UnsafePointer<nghttp2_frame>, name: String, value: String) {
        guard frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue), let call = calls[frame.pointee.hd.stream_id]
        else { return }
        let endsStream = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        let trailing = endsStream || frame.pointee.headers.cat == NGHTTP2_HCAT_HEADERS
        call.response.add(name: name, value: value, trailing: trailing)
    }

    private func data(_ streamID: Int32, _ bytes: UnsafeRawBufferPointer) {
        guard let call = calls[streamID], let problem = call.response.add(data: bytes) else { return }
        cancel(streamID)
        ended.append((call, GRPCClientResult(status: problem.status, headers: call.response.headers)))
    }

    private func streamClosed(_ streamID: Int32, errorCode: UInt32) {
        guard let call = calls.removeValue(forKey: streamID) else { return }
        if errorCode == UInt32(NGHTTP2_REFUSED_STREAM.rawValue), !call.response.receivedAnything {
            refused.append(call)
            ceilingAfterRefusal = calls.isEmpty ? nil : calls.count
        } else {
            ended.append((call, call.response.result(resetCode: errorCode)))
            ceilingAfterRefusal = nil
        }
    }

    private func frameReceived(_ frame: UnsafePointer<nghttp2_frame>) {
        switch UInt32(frame.pointee.hd.type) {
        case NGHTTP2_SETTINGS.rawValue where frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0:
            settingsReceived = true
        case NGHTTP2_GOAWAY.rawValue:
            // Streams past last_stream_id are closed by nghttp2 with REFUSED_STREAM: retried.
            goingAway = true
        default:
            break
        }
    }
}
