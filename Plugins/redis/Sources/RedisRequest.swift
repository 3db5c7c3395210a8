import DriverKit

/// One invoke's commands on their way through the I/O thread, sent back to back on one
/// connection and answered once every reply is in (or once it fails).
///
/// `@unchecked Sendable`: an invoke thread creates it and hands it over through RedisClient's
/// mutex; from then on only the I/O thread reads or writes it, and `finish` runs exactly once.
final class RedisRequest: @unchecked Sendable {
    let commands: [RedisCommand]
    /// Whether sending it again after a broken connection is safe (it may have run once).
    let isRetryable: Bool
    /// Bumped on each (re)send; replies of an earlier send are ignored.
    private(set) var attempt = 0
    private(set) var replies: [RedisReply] = []
    typealias Completion = @Sendable (Result<[RedisReply], RedisFailure>) -> Void
    private var completion: Completion?

    init(_ commands: [RedisCommand], retryable: Bool, completion: @escaping Completion) {
        self.commands = commands
        self.isRetryable = retryable
        self.completion = completion
    }

    var isFinished: Bool { completion == nil }

    /// Starts a new send: forgets earlier replies.
    func beginAttempt() {
        attempt += 1
        replies = []
    }

    /// Records the reply to one command of `attempt`; returns true when all replies are in.
    func record(_ reply: RedisReply, attempt: Int) -> Bool {
        guard attempt == self.attempt, !isFinished else { return false }
        replies.append(reply)
        return replies.count == commands.count
    }

    func succeed() {
        let completion = self.completion
        self.completion = nil
        completion?(.success(replies))
    }

    func fail(_ error: RedisFailure) {
        let completion = self.completion
        self.completion = nil
        completion?(.failure(error))
    }
}

/// Why a request got no replies; the driver turns it into the DriverError apps see.
enum RedisFailure: Error, Sendable {
    /// No connection is usable; `cause` is why the last one failed.
    case unavailable(cause: String)
    /// The connection broke after the request was sent (and it is not safe to send again).
    case connectionLost(cause: String)
    case stopping
    case notStarted

    /// The error for a request to the server at `address`.
    func driverError(address: String) -> DriverError {
        switch self {
        case .unavailable(let cause):
            DriverError(
                .unavailable, "redis at \(address) is unavailable: \(cause) (reconnecting in the background)",
                retryable: true)
        case .connectionLost(let cause):
            DriverError(
                .unavailable, "redis at \(address): connection lost before the reply: \(cause)", retryable: true)
        case .stopping:
            DriverError(.cancelled, "bindings.redis: request cancelled: the component is stopping")
        case .notStarted:
            DriverError(.unavailable, "bindings.redis: invoke before start")
        }
    }
}
