/// One Redis command as hiredis's `redisAsyncCommandArgv` takes it: every argument's bytes in
/// one flat buffer plus their lengths (see `bd_redis_command` in CHiredis/shim.h), so sending a
/// command costs no per-argument allocation.
struct RedisCommand: Sendable, Equatable {
    /// The arguments back to back, then one 0 byte so the buffer is never empty.
    private(set) var bytes: [UInt8] = []
    private(set) var lengths: [Int] = []

    init(_ name: String, _ arguments: [UInt8]...) {
        append(Array(name.utf8))
        for argument in arguments { append(argument) }
    }

    var argumentCount: Int { lengths.count }

    /// The command name (its first argument), for messages.
    var name: String {
        guard let first = lengths.first else { return "" }
        return String(decoding: bytes[0..<first], as: UTF8.self)
    }

    /// Argument `index` as bytes.
    func argument(_ index: Int) -> [UInt8] {
        let start = lengths[..<index].reduce(0, +)
        return Array(bytes[start..<start + lengths[index]])
    }

    private mutating func append(_ argument: [UInt8]) {
        if !bytes.isEmpty { bytes.removeLast() }
        bytes += argument
        bytes.append(0)
        lengths.append(argument.count)
    }
}

extension RedisCommand {
    /// A command whose arguments are text (numbers, names).
    static func text(_ name: String, _ arguments: String...) -> RedisCommand {
        var command = RedisCommand(name)
        for argument in arguments { command.append(Array(argument.utf8)) }
        return command
    }
}
