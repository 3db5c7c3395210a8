import DriverKit

/// The I/O thread of one driver instance and the queue that feeds it.
///
/// `invoke` threads only queue requests on the `DedicatedThread`, which wakes the loop once per
/// burst. The I/O thread (`RedisLoop`) owns every hiredis context. `stop` asks it to cancel
/// everything and waits until its thread has exited.
final class RedisClient: Sendable {
    private let thread = DedicatedThread<RedisRequest>(name: "bindings.redis I/O thread")
    let settings: RedisSettings
    let host: DriverHost?

    init(settings: RedisSettings, host: DriverHost?) {
        self.settings = settings
        self.host = host
    }

    /// Starts the I/O thread, which begins connecting at once. Throws when it cannot start.
    func start() throws(DriverError) {
        do { try thread.start { [self] in RedisLoop(client: self).run() } } catch {
            throw DriverError(.unavailable, error.description)
        }
    }

    /// Sends `commands` back to back on one connection and returns their replies (server error
    /// replies included). Throws a `RedisFailure`, at once while the server cannot be reached.
    func execute(_ commands: [RedisCommand], retryable: Bool) async throws -> [RedisReply] {
        try await withCheckedThrowingContinuation { continuation in
            execute(commands, retryable: retryable) { continuation.resume(with: $0.mapError { $0 as any Error }) }
        }
    }

    /// The same, calling `completion` on the I/O thread (or at once, on failure to queue).
    func execute(_ commands: [RedisCommand], retryable: Bool, completion: @escaping RedisRequest.Completion) {
        submit(RedisRequest(commands, retryable: retryable, completion: completion))
    }

    private func submit(_ request: RedisRequest) {
        guard let refused = thread.submit(request) else { return }
        request.fail(refused == .idle ? .notStarted : .stopping)
    }

    /// Fails every queued and in-flight request with `.cancelled`, closes the connections and
    /// waits until the I/O thread has exited. Safe to call more than once, and before `start`.
    func stop() async {
        await thread.stop()
    }

    /// For the I/O thread: the new requests, and whether to stop.
    func takeWork() -> (requests: [RedisRequest], stopping: Bool) {
        let (requests, stopping) = thread.takeWork()
        return (requests, stopping)
    }

    /// For the I/O thread: the descriptor that becomes readable when `takeWork` has news.
    var wakeDescriptor: Int32 { thread.wakeDescriptor }
}
