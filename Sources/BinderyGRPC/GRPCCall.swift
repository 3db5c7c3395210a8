/// One unary call as the server hands it to its handler.
package struct GRPCRequest: Sendable {
    /// The `:path`, `/package.Service/Method`.
    package var path: String
    /// Custom metadata (`GRPCMetadata.isReserved` names are left out).
    package var metadata: GRPCMetadata
    /// The request message, unframed.
    package var message: [UInt8]
    /// From `grpc-timeout`: CLOCK_MONOTONIC nanoseconds (`MonotonicClock`); 0 = none. The server
    /// answers DEADLINE_EXCEEDED itself when it passes and ignores a later reply.
    package var deadline: UInt64

    package init(path: String, metadata: GRPCMetadata = GRPCMetadata(), message: [UInt8], deadline: UInt64 = 0) {
        (self.path, self.metadata, self.message, self.deadline) = (path, metadata, message, deadline)
    }

    /// `Method` of `/package.Service/Method`.
    package var method: Substring { path.split(separator: "/").last ?? "" }
}

/// How a unary call ends: a status, the response message when OK, and metadata (initial
/// metadata as response headers, trailing metadata beside `grpc-status`).
package struct GRPCReply: Sendable {
    package var status: GRPCStatus
    /// The response message, unframed; sent only when the status is OK.
    package var message: [UInt8]
    package var headers: GRPCMetadata
    package var trailers: GRPCMetadata

    package init(
        status: GRPCStatus = .ok, message: [UInt8] = [], headers: GRPCMetadata = GRPCMetadata(),
        trailers: GRPCMetadata = GRPCMetadata()
    ) {
        (self.status, self.message, self.headers, self.trailers) = (status, message, headers, trailers)
    }

    package static func failure(_ code: GRPCStatus.Code, _ message: String) -> GRPCReply {
        GRPCReply(status: GRPCStatus(code, message))
    }
}

/// Sends the reply to one call. Call `send` exactly once, from any thread; a second reply, or
/// one after the deadline answered DEADLINE_EXCEEDED or the client reset the stream, is dropped.
package struct GRPCResponder: Sendable {
    private let deliver: @Sendable (GRPCReply) -> Void

    package init(_ deliver: @escaping @Sendable (GRPCReply) -> Void) { self.deliver = deliver }

    package func send(_ reply: GRPCReply) { deliver(reply) }
}
