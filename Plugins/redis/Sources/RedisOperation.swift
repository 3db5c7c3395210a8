import DaprMetadata
import DriverKit

/// One output request, checked and turned into Redis commands (pure: no I/O).
struct RedisOperation: Sendable, Equatable {
    enum Kind: String, Sendable { case create, get, delete, increment }

    var kind: Kind
    var key: [UInt8]
    var data: [UInt8]
    /// `ttlInSeconds` (or `ttl`) for create and increment.
    var ttl: GoDuration?
    /// `delete: true` on get: GETDEL.
    var deleteAfterGet = false

    static let missingKey = "redis binding: missing key in request metadata"

    init(_ request: InvokeRequest) throws {
        guard let kind = Kind(rawValue: request.operation) else {
            throw DriverError(.unsupported, "redis binding: operation \"\(request.operation)\" is not supported")
        }
        guard let key = request.metadata[RedisKey.key.rawValue], !key.isEmpty else {
            throw DriverError(.invalidArgument, RedisOperation.missingKey)
        }
        self.kind = kind
        self.key = Array(key.utf8)
        data = request.data
        if kind == .create || kind == .increment { ttl = try RedisOperation.ttl(request.metadata) }
        if kind == .get, let flag = request.metadata[RedisKey.delete.rawValue] {
            deleteAfterGet = MetadataText.isTruthy(flag)
        }
    }

    /// The key as text, for messages.
    var keyText: String { String(decoding: key, as: UTF8.self) }

    /// Whether sending it again after a broken connection is harmless (it may have run once).
    var isRetryable: Bool { kind == .create || kind == .delete || (kind == .get && !deleteAfterGet) }

    /// The commands of the first (for increment with a TTL: only) round trip.
    func commands(getDelAvailable: Bool = true) -> [RedisCommand] {
        switch kind {
        case .create:
            guard let ttl else { return [RedisCommand("SET", key, data)] }
            let (whole, amount) = RedisOperation.expiry(ttl)
            return [RedisCommand("SET", key, data, Array((whole ? "EX" : "PX").utf8), Array(amount.utf8))]
        case .get where deleteAfterGet:
            // Servers before 6.2 lack GETDEL: a transaction does the same atomically.
            guard getDelAvailable else {
                return [
                    RedisCommand("MULTI"), RedisCommand("GET", key), RedisCommand("DEL", key), RedisCommand("EXEC"),
                ]
            }
            return [RedisCommand("GETDEL", key)]
        case .get:
            return [RedisCommand("GET", key)]
        case .delete:
            return [RedisCommand("DEL", key)]
        case .increment:
            return [RedisCommand("INCR", key)]
        }
    }

    /// Increment's second round trip, sent only when INCR succeeded (as Dapr does).
    var expireCommand: RedisCommand? {
        guard kind == .increment, let ttl else { return nil }
        let (whole, amount) = RedisOperation.expiry(ttl)
        return RedisCommand(whole ? "EXPIRE" : "PEXPIRE", key, Array(amount.utf8))
    }

    /// `ttlInSeconds` or `ttl`, any case: a Go duration or whole seconds, more than zero.
    private static func ttl(_ metadata: [String: String]) throws -> GoDuration? {
        guard let (name, text) = metadata.first(where: { ["ttlinseconds", "ttl"].contains($0.key.lowercased()) }),
            !text.isEmpty
        else { return nil }
        guard let ttl = GoDuration(parsing: text), ttl.nanoseconds > 0 else {
            throw DriverError(
                .invalidArgument,
                "redis binding: metadata \"\(name)\" is \"\(text)\", expected a positive number of seconds or a Go duration such as \"90s\""
            )
        }
        return ttl
    }

    /// (true, seconds) when the TTL is whole seconds, else (false, milliseconds rounded up).
    private static func expiry(_ ttl: GoDuration) -> (wholeSeconds: Bool, amount: String) {
        if ttl.nanoseconds % 1_000_000_000 == 0 { return (true, String(ttl.nanoseconds / 1_000_000_000)) }
        return (false, String(ttl.milliseconds))
    }
}
