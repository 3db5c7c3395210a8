import Glibc
import Synchronization

/// A thread of one's own that runs one loop, the queue of work that feeds it, a wake-up,
/// and stop-and-join: what a driver with a blocking or poll(2)-driven C client needs, so that it
/// never blocks host threads or Swift concurrency's shared pool.
///
/// Other threads `submit` work; the first submit after the loop last took work writes one
/// byte to the wake pipe, so a burst costs one syscall. The loop calls `takeWork()` (or
/// `waitForWork(milliseconds:)`) and polls `wakeDescriptor` beside its own descriptors; when
/// `takeWork` says `stopping`, it finishes and returns. `stop()` then returns, and the thread
/// is joined. `wake` (optional) is called on every wake-up too, for a loop that sleeps inside a
/// C library (`curl_multi_poll`, `mosquitto_loop`) rather than in poll(2) on the pipe.
public final class DedicatedThread<Work: Sendable>: Sendable {
    public enum Phase: Sendable, Equatable { case idle, running, stopping, stopped }

    private struct State {
        var phase = Phase.idle
        var queue: [Work] = []
        var signalled = false
        var thread: pthread_t?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let name: String
    private let wake: @Sendable () -> Void
    /// Opened in init (no I/O, and it lets the loop drain it without a lock); a failure (no
    /// descriptor left) is reported by `start`.
    private let pipe: Result<WakePipe, ThreadError>

    /// `name` appears in errors (e.g. `bindings.redis I/O thread`).
    public init(name: String, wake: @escaping @Sendable () -> Void = {}) {
        self.name = name
        self.wake = wake
        pipe = Result { () throws(ThreadError) in try WakePipe(owner: name) }
    }

    deinit {
        try? pipe.get().close()
    }

    public var phase: Phase { state.withLock { $0.phase } }

    /// The wake pipe's read end, for the loop to poll for POLLIN beside its own descriptors.
    public var wakeDescriptor: Int32 { (try? pipe.get().readEnd) ?? -1 }

    /// Starts the thread running `loop`; does nothing when already started. Throws when
    /// the system refuses a pipe or a thread.
    public func start(_ loop: @escaping @Sendable () -> Void) throws(ThreadError) {
        _ = try pipe.get()
        try state.withLock { (state) throws(ThreadError) in
            guard state.phase == .idle else { return }
            let body = Unmanaged.passRetained(
                ThreadBody { [self] in
                    loop()
                    finish()
                }
            ).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(
                &thread, nil,
                { argument in
                    guard let argument else { return nil }
                    Unmanaged<ThreadBody>.fromOpaque(argument).takeRetainedValue().run()
                    return nil
                }, body)
            guard status == 0 else {
                Unmanaged<ThreadBody>.fromOpaque(body).release()
                throw ThreadError(description: "cannot start the \(name): \(String(cString: strerror(status)))")
            }
            state.thread = thread
            state.phase = .running
        }
    }

    /// Queues `work` and wakes the loop. Returns nil when accepted, else the phase that refused
    /// it (`.idle`: not started; `.stopping`/`.stopped`): the caller fails the work itself.
    public func submit(_ work: Work) -> Phase? {
        let outcome: (refused: Phase?, signal: Bool) = state.withLock { state in
            guard state.phase == .running else { return (state.phase, false) }
            state.queue.append(work)
            guard !state.signalled else { return (nil, false) }
            state.signalled = true
            return (nil, true)
        }
        // Written after the lock is released, to keep the section short under many submitters.
        if outcome.signal { signal() }
        return outcome.refused
    }

    /// For the loop: the queued work, and whether to finish. Empties the pipe, so the next
    /// submit wakes the loop again. Once it says stopping, no submit is accepted any more.
    public func takeWork() -> (work: [Work], stopping: Bool) {
        // Drained before the lock: a submit in between finds `signalled` still set and its work
        // is taken below; one after finds it cleared and writes the pipe again.
        try? pipe.get().drain()
        return state.withLock { state in
            state.signalled = false
            defer { state.queue = [] }
            return (state.queue, state.phase != .running)
        }
    }

    /// For the loop: waits up to `milliseconds` (-1: no limit) for work or a stop, then takes it.
    public func waitForWork(milliseconds: Int32 = -1) -> (work: [Work], stopping: Bool) {
        if state.withLock({ $0.queue.isEmpty && $0.phase == .running }) {
            try? pipe.get().wait(milliseconds: milliseconds)
        }
        return takeWork()
    }

    /// Asks the loop to finish, without waiting: safe from any thread, the loop's own included.
    public func requestStop() {
        let running = state.withLock { state in
            switch state.phase {
            case .idle, .stopped:
                state.phase = .stopped
                return false
            case .running, .stopping:
                state.phase = .stopping
                return true
            }
        }
        if running { signal() }
    }

    /// Asks the loop to finish and returns once its thread has exited. Safe to call more than
    /// once and before `start`. Called on the thread itself, it cannot wait for itself: it
    /// detaches the thread and returns at once (the loop ends when control returns to it).
    public func stop() async {
        requestStop()
        let own: pthread_t? = state.withLock { state in
            guard let thread = state.thread, pthread_equal(thread, pthread_self()) != 0 else { return nil }
            state.thread = nil
            return thread
        }
        if let own {
            pthread_detach(own)
            return
        }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                guard state.phase != .stopped else { return true }
                state.waiters.append(waiter)
                return false
            }
            if resumeNow { waiter.resume() }
        }
        // The thread resumed us as its very last action; joining only reaps it.
        if let thread = state.withLock({ state in
            defer { state.thread = nil }
            return state.thread
        }) {
            pthread_join(thread, nil)
        }
    }

    private func signal() {
        try? pipe.get().signal()
        wake()
    }

    /// Called on the thread after the loop returned.
    fileprivate func finish() {
        let waiters = state.withLock { state in
            state.phase = .stopped
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// What the pthread's start routine receives: the loop, then marking the thread finished.
private final class ThreadBody {
    let run: () -> Void

    init(_ run: @escaping () -> Void) { self.run = run }
}
