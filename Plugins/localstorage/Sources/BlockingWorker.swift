import Glibc
import Synchronization

/// One dedicated thread that runs the driver's blocking file I/O, so that neither host threads
/// nor Swift concurrency's shared pool ever wait on the disk. Jobs run one at a time, in order.
final class BlockingWorker: Sendable {
    private typealias Job = @Sendable () -> Void

    private struct State {
        var jobs: [Job] = []
        var isStopping = false
        var exited: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    /// Counts queued jobs plus the stop request; the thread waits on it.
    private let signal: Semaphore
    private let thread: Mutex<pthread_t?> = Mutex(nil)

    init() {
        signal = Semaphore()
    }

    /// Starts the thread; throws when the system refuses one.
    func start() throws(FileSystem.Failure) {
        let box = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { argument in
            guard let argument else { return nil }
            Unmanaged<BlockingWorker>.fromOpaque(argument).takeRetainedValue().loop()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<BlockingWorker>.fromOpaque(box).release()
            throw FileSystem.Failure(operation: "pthread_create", path: "localstorage worker", code: status)
        }
        thread.withLock { $0 = handle }
    }

    /// Runs `body` on the worker thread and returns its result; fails once stopping began.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = state.withLock { state in
                guard !state.isStopping else { return false }
                state.jobs.append { continuation.resume(with: Result { try body() }) }
                return true
            }
            if accepted { signal.post() } else { continuation.resume(throwing: Stopped()) }
        }
    }

    struct Stopped: Error, CustomStringConvertible {
        var description: String { "the binding is stopping" }
    }

    /// Lets queued jobs finish, then ends the thread and joins it. Safe to call more than once.
    func stop() async {
        guard let handle = thread.withLock({ $0.take() }) else { return }
        await withCheckedContinuation { continuation in
            state.withLock { state in
                state.isStopping = true
                state.exited = continuation
            }
            signal.post()
        }
        // The thread resumed us as its last step, so this join returns at once.
        pthread_join(handle, nil)
    }

    private func loop() {
        while true {
            signal.wait()
            let next: (job: Job?, exited: CheckedContinuation<Void, Never>?) = state.withLock { state in
                if !state.jobs.isEmpty { return (state.jobs.removeFirst(), nil) }
                return (nil, state.isStopping ? state.exited.take() : nil)
            }
            if let job = next.job {
                job()
            } else {
                next.exited?.resume()
                return
            }
        }
    }
}

/// A POSIX semaphore. `sem_post`/`sem_wait` are thread-safe by definition (sem_overview(7)) and
/// the pointer never changes after init, which is why sharing it across threads is safe.
private final class Semaphore: @unchecked Sendable {
    private let raw: UnsafeMutablePointer<sem_t>

    init() {
        raw = .allocate(capacity: 1)
        sem_init(raw, 0, 0)
    }

    deinit {
        sem_destroy(raw)
        raw.deallocate()
    }

    func post() { sem_post(raw) }

    /// Waits for one post, retrying after EINTR.
    func wait() { while sem_wait(raw) != 0 {} }
}
