/// What one call's stream has received so far (response headers, messages, trailers), and the
/// result it ends with, judged as grpc-go judges it. Pure: fed by the connection's callbacks,
/// testable with plain values.
struct GRPCClientResponse {
    private(set) var httpStatus: Int?
    private(set) var contentType: String?
    private(set) var grpcStatus: String?
    private(set) var grpcMessage = ""
    private(set) var grpcDetails: [UInt8] = []
    private(set) var headers = GRPCMetadata()
    private(set) var trailers = GRPCMetadata()
    /// A header block that ended the stream arrived (trailers, or a Trailers-Only response).
    private(set) var sawTrailers = false
    /// Any header or DATA byte arrived: the server has processed the call.
    private(set) var receivedAnything = false
    private var deframer: GRPCDeframer
    private var messages: [[UInt8]] = []

    init(limit: Int) { deframer = GRPCDeframer(limit: limit) }

    /// One header field; `trailing` when its block ends the stream or follows the response
    /// headers.
    mutating func add(name: String, value: String, trailing: Bool) {
        receivedAnything = true
        if trailing { sawTrailers = true }
        switch name {
        case ":status": httpStatus = Int(value)
        case "content-type": contentType = value
        case "grpc-status": grpcStatus = value
        case "grpc-message": grpcMessage = GRPCMessageText.decode(value)
        case "grpc-status-details-bin": grpcDetails = GRPCBinaryHeader.decode(value.utf8) ?? []
        default:
            guard !GRPCMetadata.isReserved(name), name != ":authority" else { return }
            var decoded = value
            if name.hasSuffix("-bin"), let bytes = GRPCBinaryHeader.decode(value.utf8) {
                decoded = String(decoding: bytes, as: UTF8.self)
            }
            if trailing { trailers.add(name, decoded) } else { headers.add(name, decoded) }
        }
    }

    /// DATA bytes; returns the framing problem that ends the call early, if any.
    mutating func add(data: UnsafeRawBufferPointer) -> GRPCFraming.Problem? {
        receivedAnything = true
        deframer.feed(data)
        messages += deframer.takeMessages()
        return deframer.problem
    }

    /// The result once the stream closed; `resetCode` is the HTTP/2 error code it closed with
    /// (0: a normal end).
    mutating func result(resetCode: UInt32) -> GRPCClientResult {
        if let status = headerProblem() {
            return GRPCClientResult(status: status, headers: headers, trailers: trailers)
        }
        guard let raw = grpcStatus else {
            let status =
                resetCode != 0
                ? Self.resetStatus(resetCode)
                : sawTrailers
                    ? GRPCStatus(.unknown, grpcMessage)
                    : GRPCStatus(.internal, "server closed the stream without sending trailers")
            return GRPCClientResult(status: status, headers: headers, trailers: trailers)
        }
        guard let number = Int(raw) else {
            return GRPCClientResult(
                status: GRPCStatus(.internal, "transport: malformed grpc-status: \"\(raw)\""), headers: headers,
                trailers: trailers)
        }
        let status = GRPCStatus(GRPCStatus.Code(rawValue: number) ?? .unknown, grpcMessage, details: grpcDetails)
        guard status.isOK else { return GRPCClientResult(status: status, headers: headers, trailers: trailers) }
        return GRPCClientResult(status: messageStatus(), message: messages.first, headers: headers, trailers: trailers)
    }

    /// For an OK status: whether exactly one well-formed message arrived.
    private mutating func messageStatus() -> GRPCStatus {
        if let problem = deframer.finish() { return problem.status }
        switch messages.count {
        case 1: return .ok
        case 0: return GRPCStatus(.internal, "cardinality violation: received no response message for a unary call")
        default:
            return GRPCStatus(
                .internal,
                "cardinality violation: expected <EOF> for non server-streaming RPCs, but received another message")
        }
    }

    /// A response that is not gRPC: an HTTP status other than 200 or a content-type other than
    /// application/grpc, mapped with gRPC's HTTP-to-gRPC table (doc/http-grpc-status-mapping.md).
    private func headerProblem() -> GRPCStatus? {
        guard let httpStatus else { return nil }
        var problems: [String] = []
        if httpStatus != 200 {
            problems.append(
                "unexpected HTTP status code received from server: \(httpStatus) (\(Self.statusText(httpStatus)))")
        }
        let type = contentType ?? ""
        if !(type == "application/grpc" || type.hasPrefix("application/grpc+") || type.hasPrefix("application/grpc;")) {
            problems.append("transport: received unexpected content-type \"\(type)\"")
        }
        guard !problems.isEmpty else { return nil }
        let code: GRPCStatus.Code
        switch httpStatus {
        case 400: code = .internal
        case 401: code = .unauthenticated
        case 403: code = .permissionDenied
        case 404: code = .unimplemented
        case 429, 502, 503, 504: code = .unavailable
        default: code = .unknown
        }
        return GRPCStatus(code, problems.joined(separator: "; "))
    }

    /// A stream reset by the server before a status arrived (grpc-go's http2ErrConvTab).
    static func resetStatus(_ code: UInt32) -> GRPCStatus {
        let names = [
            "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
            "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
            "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
        ]
        let name = code < names.count ? names[Int(code)] : "unknown error code 0x\(String(code, radix: 16))"
        let grpcCode: GRPCStatus.Code
        switch code {
        case 0x3, 0xb: grpcCode = .resourceExhausted
        case 0x7: grpcCode = .unavailable
        case 0x8: grpcCode = .cancelled
        case 0xc: grpcCode = .permissionDenied
        default: grpcCode = .internal
        }
        return GRPCStatus(grpcCode, "stream terminated by RST_STREAM with error code: \(name)")
    }

    private static func statusText(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "status \(status)"
        }
    }
}
