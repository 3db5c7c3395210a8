import CNghttp2

// The reply side of a connection: response HEADERS, the message as DATA, trailers.
extension GRPCConnection {
    /// Submits the handler's (or the deadline's) reply to a stream; false when it is dropped:
    /// the stream is gone (reset by the client, connection closed) or was answered already.
    func reply(to streamID: Int32, with reply: GRPCReply) -> Bool {
        guard session != nil, let stream = streams[streamID], !stream.replied else { return false }
        stream.replied = true
        let limit = loop.configuration.maxMessageBytes
        guard reply.status.isOK else {
            submitTrailersOnly(stream, reply.status, headers: reply.headers, trailers: reply.trailers)
            return true
        }
        guard reply.message.count <= limit else {
            let status = GRPCStatus(
                .resourceExhausted, "grpc: trying to send message larger than max (\(reply.message.count) vs. \(limit))"
            )
            submitTrailersOnly(stream, status)
            return true
        }
        scratch.removeAll()
        Self.addResponseHead(to: &scratch, httpStatus: 200)
        scratch.add(reply.headers)
        stream.body.reserveCapacity(reply.message.count + 5)
        GRPCFraming.append(reply.message, to: &stream.body)
        stream.trailingMetadata = reply.trailers
        var provider = nghttp2_data_provider(
            source: nghttp2_data_source(ptr: nil), read_callback: GRPCSessionCallbacks.readBody)
        let session = session
        let rc = scratch.withFields { nghttp2_submit_response(session, streamID, $0, $1, &provider) }
        return rc == 0
    }

    /// Answers with a status of ours, before or instead of the handler (a malformed request, a
    /// message past the limit). The client may still be sending: `frameSent` resets the stream
    /// once the answer is out.
    func replyEarly(_ stream: GRPCStream, _ status: GRPCStatus, httpStatus: Int = 200) {
        stream.replied = true
        submitTrailersOnly(stream, status, httpStatus: httpStatus)
    }

    /// A reply without a message as gRPC's Trailers-Only: one HEADERS frame with END_STREAM.
    private func submitTrailersOnly(
        _ stream: GRPCStream, _ status: GRPCStatus, headers: GRPCMetadata = GRPCMetadata(),
        trailers: GRPCMetadata = GRPCMetadata(), httpStatus: Int = 200
    ) {
        scratch.removeAll()
        Self.addResponseHead(to: &scratch, httpStatus: httpStatus)
        scratch.add(status)
        scratch.add(headers)
        scratch.add(trailers)
        let session = session
        _ = scratch.withFields { nghttp2_submit_response(session, stream.id, $0, $1, nil) }
    }

    private static func addResponseHead(to block: inout GRPCHeaderBlock, httpStatus: Int) {
        guard httpStatus != 200 else { return block.addOKHead() }
        block.add(":status", String(httpStatus))
        block.add("content-type", "application/grpc" as StaticString)
        block.add("grpc-accept-encoding", "identity" as StaticString)
    }

    /// Copies the next piece of a stream's framed message for nghttp2; after the last piece,
    /// ends the DATA without END_STREAM and submits the trailers, which carry it.
    func readBody(
        _ streamID: Int32, into buffer: UnsafeMutablePointer<UInt8>, length: Int, flags: UnsafeMutablePointer<UInt32>
    ) -> Int {
        guard let stream = streams[streamID] else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        let n = min(length, stream.body.count - stream.bodySent)
        stream.body.withUnsafeBytes { body in
            UnsafeMutableRawPointer(buffer).copyMemory(from: body.baseAddress! + stream.bodySent, byteCount: n)
        }
        stream.bodySent += n
        if stream.bodySent == stream.body.count {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue | NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
            stream.body = []
            stream.bodySent = 0
            scratch.removeAll()
            scratch.add(GRPCStatus.ok)
            scratch.add(stream.trailingMetadata)
            let session = session
            let rc = scratch.withFields { nghttp2_submit_trailer(session, streamID, $0, $1) }
            if rc != 0 { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        }
        return n
    }

    /// A frame went out: after our END_STREAM on a stream whose client has not finished
    /// sending, RST_STREAM(NO_ERROR) tells it to stop (as grpc-go does).
    func frameSent(_ streamID: Int32, endStream: Bool) {
        guard endStream, let stream = streams[streamID], stream.replied, !stream.requestEnded else { return }
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_NO_ERROR.rawValue)
    }
}
