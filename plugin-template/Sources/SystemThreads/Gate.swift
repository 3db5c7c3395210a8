import Glibc

/// State behind a pthread mutex with a condition variable, for a driver's own threads (those that
/// drive a blocking C client): they may wait (block) for a change; host threads only change the
/// state and never wait.
///
/// `@unchecked Sendable`: `state` is read and written only while `mutex` is held.
public final class Gate<State>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var state: State

    public init(_ state: State) {
        self.state = state
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        // Deadlines are CLOCK_MONOTONIC, like the host's: wall-clock jumps do not move them.
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `body` on the state under the lock; wakes every waiter afterwards.
    @discardableResult
    public func update<R>(_ body: (inout State) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return try body(&state)
    }

    /// Reads the state under the lock without waking anyone.
    public func read<R>(_ body: (State) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(state)
    }

    /// Blocks the calling thread (never a host thread) until `isDone` holds or `deadline`
    /// (CLOCK_MONOTONIC ns; nil: none) passes, then runs `body` under the lock.
    public func wait<R>(until deadline: UInt64?, for isDone: (State) -> Bool, then body: (inout State) -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !isDone(state) {
            if let deadline {
                guard MonotonicClock.now() < deadline else { break }
                var until = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
                pthread_cond_timedwait(condition, mutex, &until)
            } else {
                pthread_cond_wait(condition, mutex)
            }
        }
        return body(&state)
    }
}
