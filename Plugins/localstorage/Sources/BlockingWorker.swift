import DriverKit

/// One dedicated thread that runs the driver's blocking file I/O, so that neither host threads
/// nor Swift concurrency's shared pool ever wait on the disk. Jobs run one at a time, in order.
final class BlockingWorker: Sendable {
    private typealias Job = @Sendable () -> Void

    private let thread = DedicatedThread<Job>(name: "bindings.localstorage I/O thread")

    /// Starts the thread; throws when the system refuses one.
    func start() throws(DriverError) {
        do {
            try thread.start { [thread] in
                while true {
                    let (jobs, stopping) = thread.waitForWork()
                    for job in jobs { job() }
                    if stopping { return }
                }
            }
        } catch {
            throw DriverError(.unavailable, error.description)
        }
    }

    /// Runs `body` on the worker thread and returns its result; fails unless the worker runs.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            if thread.submit({ continuation.resume(with: Result { try body() }) }) != nil {
                continuation.resume(throwing: Stopped())
            }
        }
    }

    struct Stopped: Error, CustomStringConvertible {
        var description: String { "the binding is stopping" }
    }

    /// Lets queued jobs finish, then ends the thread and joins it. Safe to call more than once.
    func stop() async {
        await thread.stop()
    }
}
