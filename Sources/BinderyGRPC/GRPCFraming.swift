/// gRPC's length-prefixed messages: one byte compressed-flag, four bytes big-endian length, then
/// the message (gRPC over HTTP/2, "Length-Prefixed-Message").
package enum GRPCFraming {
    /// Why a stream's bytes are not a well-formed sequence of messages.
    package enum Problem: Sendable, Equatable {
        /// The prefix announces more than the limit: RESOURCE_EXHAUSTED.
        case tooLarge(length: Int, limit: Int)
        /// The compressed flag is set (bindery negotiates no compression): INTERNAL, or
        /// UNIMPLEMENTED when the peer named a `grpc-encoding` we do not support.
        case compressed
        /// The stream ended inside a prefix or a message: INTERNAL.
        case truncated(have: Int, need: Int)
        /// A flag byte other than 0 or 1: INTERNAL.
        case badFlag(UInt8)

        package var status: GRPCStatus {
            switch self {
            case .tooLarge(let length, let limit):
                GRPCStatus(
                    .resourceExhausted,
                    "grpc: received message larger than max (\(length) vs. \(limit))")
            case .compressed:
                GRPCStatus(.internal, "grpc: compressed flag set with identity or empty encoding")
            case .truncated(let have, let need):
                GRPCStatus(.internal, "grpc: stream ended inside a message (\(have) of \(need) bytes)")
            case .badFlag(let flag):
                GRPCStatus(.internal, "grpc: invalid compressed-flag byte \(flag)")
            }
        }
    }

    /// `message` with its 5-byte prefix (uncompressed).
    package static func frame(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + 5)
        append(message, to: &out)
        return out
    }

    package static func append(_ message: [UInt8], to out: inout [UInt8]) {
        let length = UInt32(message.count)
        out.reserveCapacity(out.count + 5 + message.count)
        out.append(0)
        out.append(UInt8(length >> 24))
        out.append(UInt8(length >> 16 & 0xFF))
        out.append(UInt8(length >> 8 & 0xFF))
        out.append(UInt8(length & 0xFF))
        out += message
    }
}

/// Splits a stream's DATA bytes into messages as they arrive, refusing a message past `limit`
/// as soon as its prefix is seen (before its bytes are buffered).
package struct GRPCDeframer: Sendable {
    package let limit: Int
    private var buffer: [UInt8] = []
    private var messages: [[UInt8]] = []
    package private(set) var problem: GRPCFraming.Problem?

    package init(limit: Int) { self.limit = limit }

    /// Adds bytes; after a problem, further bytes are ignored.
    package mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard problem == nil else { return }
        guard buffer.isEmpty else {
            buffer.append(contentsOf: bytes)
            buffer.removeFirst(split(buffer))
            return
        }
        // The usual case, whole messages in one DATA frame, is taken without buffering them.
        let used = split(bytes)
        if problem == nil { buffer.append(contentsOf: bytes[used...]) }
    }

    /// Takes the complete messages at the start of `bytes`; returns how many bytes they used.
    private mutating func split(_ bytes: some RandomAccessCollection<UInt8>) -> Int {
        var used = 0
        while problem == nil, bytes.count - used >= 5 {
            let prefix = bytes.index(bytes.startIndex, offsetBy: used)
            func byte(_ offset: Int) -> Int { Int(bytes[bytes.index(prefix, offsetBy: offset)]) }
            let length = byte(1) << 24 | byte(2) << 16 | byte(3) << 8 | byte(4)
            problem = Self.check(flag: UInt8(byte(0)), length: length, limit: limit)
            guard problem == nil, bytes.count - used >= 5 + length else { break }
            let body = bytes.index(prefix, offsetBy: 5)
            messages.append(Array(bytes[body..<bytes.index(body, offsetBy: length)]))
            used += 5 + length
        }
        return used
    }

    /// What is wrong with a message prefix, if anything.
    private static func check(flag: UInt8, length: Int, limit: Int) -> GRPCFraming.Problem? {
        guard flag <= 1 else { return .badFlag(flag) }
        guard flag == 0 else { return .compressed }
        return length <= limit ? nil : .tooLarge(length: length, limit: limit)
    }

    package mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// The complete messages so far, removed from the deframer.
    package mutating func takeMessages() -> [[UInt8]] {
        let taken = messages
        messages.removeAll()
        return taken
    }

    /// At end of stream: a problem if bytes of an unfinished message remain.
    package mutating func finish() -> GRPCFraming.Problem? {
        if let problem { return problem }
        guard !buffer.isEmpty else { return nil }
        let need =
            buffer.count < 5
            ? 5 : 5 + (Int(buffer[1]) << 24 | Int(buffer[2]) << 16 | Int(buffer[3]) << 8 | Int(buffer[4]))
        problem = .truncated(have: buffer.count, need: need)
        return problem
    }
}
