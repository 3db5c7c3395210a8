import Glibc

/// One call on a connection, from its request HEADERS to the end of its reply: the request
/// fields gRPC cares about, the deframed message, and the reply waiting to be sent.
final class GRPCStream {
    let id: Int32
    var path = ""
    var isPost = false
    var contentType: String?
    /// Nanoseconds from `grpc-timeout`.
    var timeout: UInt64?
    /// Why the request's headers cannot be served (malformed `grpc-timeout` or `-bin` value):
    /// answered INTERNAL, as grpc-go does.
    var headerProblem: String?
    var encoding: String?
    var metadata = GRPCMetadata()
    var deframer: GRPCDeframer
    var message: [UInt8]?
    var messageCount = 0
    /// CLOCK_MONOTONIC nanoseconds; 0 = none.
    var deadline: UInt64 = 0
    /// The client sent END_STREAM.
    var requestEnded = false
    /// A reply (the handler's, or one of ours) has been submitted; later ones are dropped.
    var replied = false
    /// The response message, framed, and how much of it nghttp2 has taken.
    var body: [UInt8] = []
    var bodySent = 0
    /// Trailing metadata of a reply whose message is being sent.
    var trailingMetadata = GRPCMetadata()

    init(id: Int32, limit: Int) {
        self.id = id
        deframer = GRPCDeframer(limit: limit)
    }

    /// Takes one request header field (nghttp2 has checked its syntax and the pseudo-headers).
    /// Names are matched as bytes (memcmp): only custom metadata becomes Strings.
    func take(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
        if Self.equal(name, ":method") {
            isPost = Self.equal(value, "POST")
        } else if Self.equal(name, ":path") {
            path = text(value)
        } else if Self.equal(name, "content-type") {
            // The usual value as a literal: no String to allocate.
            contentType = Self.equal(value, "application/grpc") ? "application/grpc" : text(value)
        } else if Self.equal(name, "grpc-timeout") {
            timeout = GRPCTimeout.parse(utf8: value)
            if timeout == nil { headerProblem = "malformed grpc-timeout: \(text(value))" }
        } else if Self.equal(name, "grpc-encoding") {
            encoding = text(value)
        } else if Self.equal(name, ":authority") || Self.equal(name, "user-agent") {
            // grpc-go hands both to the handler (GRPCMetadata.isReserved); daprd forwards them.
            metadata.add(text(name), text(value))
        } else if name.first != UInt8(ascii: ":"), !Self.equal(name, "te"), !Self.equal(name, "content-length"),
            !Self.hasPrefix(name, "grpc-")
        {
            takeMetadata(name: text(name), value: value)
        }
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        bytes.count == text.utf8CodeUnitCount && memcmp(bytes.baseAddress!, text.utf8Start, bytes.count) == 0
    }

    private static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        bytes.count >= text.utf8CodeUnitCount && memcmp(bytes.baseAddress!, text.utf8Start, text.utf8CodeUnitCount) == 0
    }

    /// Custom metadata; a `-bin` value is base64 on the wire.
    private func takeMetadata(name: String, value: UnsafeRawBufferPointer) {
        guard !GRPCMetadata.isReserved(name) else { return }
        guard name.hasSuffix("-bin") else {
            metadata.add(name, String(decoding: value, as: UTF8.self))
            return
        }
        guard let bytes = GRPCBinaryHeader.decode(value) else {
            headerProblem = "malformed binary metadata \(String(decoding: value, as: UTF8.self)) in header \(name)"
            return
        }
        metadata.add(name, String(decoding: bytes, as: UTF8.self))
    }

    /// Whether `content-type` is gRPC's: `application/grpc`, alone or followed by `+` or `;`.
    var isGRPC: Bool {
        guard let contentType, contentType.hasPrefix("application/grpc") else { return false }
        let rest = contentType.utf8.dropFirst(16)
        return rest.isEmpty || rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: ";")
    }

    /// Adds DATA bytes; the status to answer at once when they cannot be a valid request.
    func feed(_ bytes: UnsafeRawBufferPointer) -> GRPCStatus? {
        deframer.feed(bytes)
        if let problem = deframer.problem { return status(of: problem) }
        for taken in deframer.takeMessages() {
            messageCount += 1
            if message == nil { message = taken }
        }
        return messageCount > 1 ? severalMessages : nil
    }

    private var severalMessages: GRPCStatus {
        GRPCStatus(.unimplemented, "grpc: \(messageCount) request messages on one call; only unary calls are served")
    }

    /// At END_STREAM: the status to answer instead of calling the handler, if any.
    func finish() -> GRPCStatus? {
        if let problem = deframer.finish() { return status(of: problem) }
        switch messageCount {
        case 1: return nil
        case 0: return GRPCStatus(.internal, "grpc: the request ended without a message (a unary call carries one)")
        default: return severalMessages
        }
    }

    private func status(of problem: GRPCFraming.Problem) -> GRPCStatus {
        if problem == .compressed, let encoding, encoding != "identity" {
            return GRPCStatus(.unimplemented, "grpc: Decompressor is not installed for grpc-encoding \"\(encoding)\"")
        }
        return problem.status
    }
}
