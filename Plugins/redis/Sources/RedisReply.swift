import CHiredis

/// A reply from the server, copied out of hiredis's `redisReply` (which hiredis frees as soon
/// as the reply callback returns).
enum RedisReply: Sendable, Equatable {
    case status(String)
    case error(String)
    case integer(Int64)
    case bulk([UInt8])
    case null
    case array([RedisReply])

    init(_ reply: UnsafePointer<redisReply>) {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING:
            self = .bulk(RedisReply.bytes(r.str, r.len))
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: RedisReply.bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: RedisReply.bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(r.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(r.elements)
            for index in 0..<r.elements {
                guard let element = r.element?[index] else {
                    elements.append(.null)
                    continue
                }
                elements.append(RedisReply(element))
            }
            self = .array(elements)
        default:
            self = .null
        }
    }

    /// The server's error text, if this is an error reply.
    var errorText: String? {
        if case .error(let text) = self { return text }
        return nil
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }
}
