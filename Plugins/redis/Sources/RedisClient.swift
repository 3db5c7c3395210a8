import DriverKit
import Glibc
import Synchronization

/// The I/O thread of one driver instance and the queue that feeds it.
///
/// `invoke` threads only append to `incoming` under the mutex and, when the I/O thread has not
/// been signalled yet, write one byte to the wake pipe: a burst of requests costs one syscall.
/// The I/O thread (`RedisLoop`) owns every hiredis context. `stop` asks it to cancel
/// everything and waits until its thread has exited.
final class RedisClient: Sendable {
    enum Phase { case idle, running, stopping, stopped }

    private struct State {
        var phase = Phase.idle
        var incoming: [RedisRequest] = []
        var signalled = false
        var wake: WakePipe?
        var thread: pthread_t?
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    let settings: RedisSettings
    let host: DriverHost?

    init(settings: RedisSettings, host: DriverHost?) {
        self.settings = settings
        self.host = host
    }

    /// Starts the I/O thread, which begins connecting at once. Throws when it cannot start.
    func start() throws {
        try state.withLock { state in
            guard state.phase == .idle else { return }
            let wake = try WakePipe()
            let loop = Unmanaged.passRetained(RedisLoop(client: self, wake: wake)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { argument in
                guard let argument else { return nil }
                Unmanaged<RedisLoop>.fromOpaque(argument).takeRetainedValue().run()
                return nil
            }, loop)
            guard status == 0 else {
                Unmanaged<RedisLoop>.fromOpaque(loop).release()
                wake.close()
                throw DriverError(.unavailable, "bindings.redis: cannot start the I/O thread: \(String(cString: strerror(status)))")
            }
            state.wake = wake
            state.thread = thread
            state.phase = .running
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
        // The write(2) happens after the lock is released, to keep the critical section short
        // under many concurrent invokes; the pipe stays open until deinit, so it is never stale.
        let outcome: Result<WakePipe?, RedisFailure> = state.withLock { state in
            switch state.phase {
            case .running:
                state.incoming.append(request)
                guard !state.signalled else { return .success(nil) }
                state.signalled = true
                return .success(state.wake)
            case .idle:
                return .failure(.notStarted)
            case .stopping, .stopped:
                return .failure(.stopping)
            }
        }
        switch outcome {
        case .success(let wake): wake?.signal()
        case .failure(let refusal): request.fail(refusal)
        }
    }

    /// Fails every queued and in-flight request with `.cancelled`, closes the connections and
    /// waits until the I/O thread has exited. Safe to call more than once, and before `start`.
    func stop() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                switch state.phase {
                case .idle, .stopped:
                    state.phase = .stopped
                    return true
                case .running:
                    state.phase = .stopping
                    state.wake?.signal()
                    state.stopWaiters.append(waiter)
                    return false
                case .stopping:
                    state.stopWaiters.append(waiter)
                    return false
                }
            }
            if resumeNow { waiter.resume() }
        }
        // The loop resumed us as its very last action; joining only reaps the thread.
        if let thread = state.withLock({ state in defer { state.thread = nil }; return state.thread }) {
            pthread_join(thread, nil)
        }
    }

    /// For the I/O thread: the new requests, and whether to stop. Clears the wake signal, so
    /// the next submit writes the pipe again.
    func takeWork() -> (requests: [RedisRequest], stopping: Bool) {
        state.withLock { state in
            state.signalled = false
            defer { state.incoming = [] }
            return (state.incoming, state.phase != .running)
        }
    }

    /// For the I/O thread, last: marks the client stopped and returns who waits.
    func markStopped() -> [CheckedContinuation<Void, Never>] {
        state.withLock { state in
            state.phase = .stopped
            defer { state.stopWaiters = [] }
            return state.stopWaiters
        }
    }

    deinit {
        state.withLock { $0.wake?.close() }
    }
}
