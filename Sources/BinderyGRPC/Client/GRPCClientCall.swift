import BinderySystem

/// One unary call inside the client: the request, its deadline, the caller's completion, and
/// the state of its current attempt (a call refused unprocessed is attempted again).
///
/// `@unchecked Sendable`: the caller's thread builds it and hands it over through the loop's
/// Mutex-guarded inbox; from then on only the loop thread touches it.
final class GRPCClientCall: @unchecked Sendable {
    let path: String
    let metadata: GRPCMetadata
    /// The request message with its 5-byte prefix.
    let framed: [UInt8]
    /// CLOCK_MONOTONIC nanoseconds; 0 = none.
    let deadline: UInt64
    private let done: @Sendable (GRPCClientResult) -> Void

    /// Attempts so far (1 once first sent).
    var attempts = 0
    /// How much of `framed` the current attempt has handed to nghttp2.
    var sentBytes = 0
    /// The current attempt's HEADERS went out: from then on the server may have processed it.
    var headersSent = false
    var response: GRPCClientResponse
    private(set) var finished = false

    init(
        path: String, metadata: GRPCMetadata, message: [UInt8], deadline: UInt64, limit: Int,
        done: @escaping @Sendable (GRPCClientResult) -> Void
    ) {
        self.path = path
        self.metadata = metadata
        framed = GRPCFraming.frame(message)
        self.deadline = deadline
        self.done = done
        response = GRPCClientResponse(limit: limit)
    }

    /// Resets the attempt state before the call is sent (again).
    func beginAttempt(limit: Int) {
        attempts += 1
        sentBytes = 0
        headersSent = false
        response = GRPCClientResponse(limit: limit)
    }

    /// Ends the call; later results are ignored.
    func finish(_ result: GRPCClientResult) {
        guard !finished else { return }
        finished = true
        done(result)
    }

    func isExpired(now: UInt64) -> Bool { deadline != 0 && now >= deadline }

    /// The request's header fields, in order: pseudo-headers, gRPC's, then custom metadata
    /// (`-bin` values base64-encoded; reserved and pseudo names are left out).
    func headerFields(authority: String, userAgent: String, now: UInt64) -> [(String, String)] {
        var fields = [
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", authority),
            ("content-type", "application/grpc"), ("te", "trailers"), ("user-agent", userAgent),
        ]
        if deadline != 0 {
            fields.append(("grpc-timeout", GRPCTimeout.format(nanoseconds: deadline > now ? deadline - now : 1)))
        }
        for (name, value) in metadata
        where !GRPCMetadata.isReserved(name) && !name.hasPrefix(":") && name != "user-agent" {
            fields.append((name, name.hasSuffix("-bin") ? GRPCBinaryHeader.encode(Array(value.utf8)) : value))
        }
        return fields
    }
}
