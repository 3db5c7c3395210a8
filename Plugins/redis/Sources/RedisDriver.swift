import DriverKit
import Synchronization

/// `bindings.redis`: SET, GET, DEL and INCR on one Redis server, as Dapr's Redis binding.
///
/// All I/O runs on one thread per instance (`RedisClient`) driving hiredis's async API over a
/// few pipelined connections; `invoke` only builds commands, queues them and suspends until
/// that thread completes them.
final class RedisDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.redis", version: "1.0.0",
        summary: "Stores, reads, deletes and increments keys on a Redis server (hiredis).",
        directions: [.output],
        operations: ["create", "get", "delete", "increment"],
        fields: RedisDriver.fields)

    let settings: RedisSettings
    private let host: DriverHost?
    private let client: RedisClient
    /// Set once the server answers GETDEL with "unknown command" (Redis before 6.2).
    private let lacksGetDel = Atomic(false)

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration, log: host)
    }

    /// Checks the configuration; no I/O. `log` is nil in tests (DriverHost has no public init).
    init(configuration: DriverConfiguration, log host: DriverHost?) throws {
        settings = try RedisSettings(configuration)
        self.host = host
        client = RedisClient(settings: settings, host: host)
    }

    /// Starts the I/O thread and waits for the first PING; fails naming the address and cause.
    func start() async throws {
        try client.start()
        do {
            _ = try await client.execute([RedisCommand("PING")], retryable: true)
        } catch let failure as RedisFailure {
            await client.stop()
            switch failure {
            case .unavailable(let cause), .connectionLost(let cause):
                throw DriverError(.unavailable, "cannot connect to redis at \(settings.address): \(cause)")
            case .stopping, .notStarted:
                throw failure.driverError(address: settings.address)
            }
        }
        host?.log(.debug, "bindings.redis ready for \(settings.address) with \(settings.poolSize) connection(s)")
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        let operation = try RedisOperation(request)
        if let deadline = request.deadline, deadline <= RedisLoop.now() {
            throw DriverError(.timeout, "redis binding: the request's deadline passed before it was sent")
        }
        switch operation.kind {
        case .get:
            return InvokeResponse(data: try await get(operation))
        case .create, .delete:
            _ = try await run(operation, operation.commands())
            return nil
        case .increment:
            _ = try await run(operation, operation.commands())
            if let expire = operation.expireCommand { _ = try await run(operation, [expire]) }
            return nil
        }
    }

    /// `create` and `delete` complete on the I/O thread, with no Swift task per request (the
    /// task and its continuation were about a tenth of the CPU under wrk); the others take the
    /// async path.
    func invoke(
        _ request: InvokeRequest, completion: @escaping @Sendable (Result<InvokeResponse?, DriverError>) -> Void
    ) {
        let operation: RedisOperation
        do { operation = try RedisOperation(request) } catch {
            return completion(.failure(DriverError.wrapping(error)))
        }
        guard operation.kind == .create || operation.kind == .delete,
            request.deadline.map({ $0 > RedisLoop.now() }) ?? true
        else {
            Task {
                do { completion(.success(try await invoke(request))) } catch {
                    completion(.failure(DriverError.wrapping(error)))
                }
            }
            return
        }
        let commands = operation.commands()
        let address = settings.address
        client.execute(commands, retryable: operation.isRetryable) { [self] result in
            switch result {
            case .failure(let failure): completion(.failure(failure.driverError(address: address)))
            case .success(let replies):
                do {
                    for (command, reply) in zip(commands, replies) { _ = try check(operation, command.name, reply) }
                    completion(.success(nil))
                } catch {
                    completion(.failure(DriverError.wrapping(error)))
                }
            }
        }
    }

    /// Cancels requests in flight (`.cancelled`) and ends the I/O thread before returning.
    func stop() async {
        await client.stop()
    }

    /// GET, or GETDEL (a MULTI/GET/DEL/EXEC transaction on servers without GETDEL).
    private func get(_ operation: RedisOperation) async throws -> [UInt8] {
        let hasGetDel = !lacksGetDel.load(ordering: .relaxed)
        let replies = try await execute(
            operation.commands(getDelAvailable: hasGetDel), retryable: operation.isRetryable)
        if operation.deleteAfterGet, hasGetDel, replies.first?.errorText?.hasPrefix("ERR unknown command") == true {
            lacksGetDel.store(true, ordering: .relaxed)
            return try await get(operation)
        }
        var value = try check(operation, "GET", replies.last)
        if case .array(let results) = value, let first = results.first { value = try check(operation, "GET", first) }
        if case .bulk(let bytes) = value { return bytes }
        return []  // a missing key: 200 with an empty body, as Dapr
    }

    /// Sends `commands` and returns their replies, or throws the failure as a DriverError.
    private func execute(_ commands: [RedisCommand], retryable: Bool) async throws -> [RedisReply] {
        do {
            return try await client.execute(commands, retryable: retryable)
        } catch let failure as RedisFailure {
            throw failure.driverError(address: settings.address)
        }
    }

    /// Sends `commands` and checks every reply for a server error.
    private func run(_ operation: RedisOperation, _ commands: [RedisCommand]) async throws -> [RedisReply] {
        let replies = try await execute(commands, retryable: operation.isRetryable)
        for (command, reply) in zip(commands, replies) { _ = try check(operation, command.name, reply) }
        return replies
    }

    /// `reply`, or the server's error as a DriverError naming the address, command and key.
    private func check(_ operation: RedisOperation, _ command: String, _ reply: RedisReply?) throws -> RedisReply {
        guard let reply else { throw DriverError(.internalError, "redis binding: \(command) got no reply") }
        guard let text = reply.errorText else { return reply }
        let transient = ["LOADING", "READONLY", "MASTERDOWN", "BUSY", "TRYAGAIN", "NOAUTH", "WRONGPASS", "OOM"]
            .contains { text.hasPrefix($0) }
        throw DriverError(
            transient ? .unavailable : .invalidArgument,
            "redis at \(settings.address): \(command) \"\(operation.keyText)\": \(text)", retryable: transient)
    }
}

/// The driver this library exports (Plugins/redis/Entry).
public let exportedDriver: any BindingDriver.Type = RedisDriver.self

extension DriverError {
    /// `error` as a DriverError (driver errors pass through).
    static func wrapping(_ error: any Error) -> DriverError {
        (error as? DriverError) ?? DriverError(.internalError, String(describing: error))
    }
}
