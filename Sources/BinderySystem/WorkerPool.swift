import Dispatch
import Glibc
import Synchronization

/// A fixed maximum of dedicated threads for blocking work (app deliveries use blocking
/// sockets). Never Swift concurrency's or Dispatch's shared pools: blocking them starves
/// drivers' completions (plugin-abi.md B8). Threads start on demand, up to `limit`.
package final class WorkerPool: Sendable {
    package typealias Job = @Sendable () -> Void

    private struct State {
        var jobs: [Job] = []
        package var head = 0
        package var threads = 0
        package var idle = 0
        package var stopping = false
    }

    package let limit: Int
    private let name: String
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    package init(name: String, limit: Int) {
        self.name = name
        self.limit = max(1, limit)
    }

    /// Queues `job`; it runs on a pool thread as soon as one is free.
    package func submit(_ job: @escaping Job) {
        let spawn = state.withLock { state -> Bool in
            state.jobs.append(job)
            guard state.idle == 0, state.threads < limit else { return false }
            state.threads += 1
            return true
        }
        if spawn { startThread() }
        available.signal()
    }

    private func startThread() {
        if case .failure(let error) = HostThread.start(name, { self.work() }) {
            state.withLock { $0.threads -= 1 }
            Log.error("cannot start a \(name) thread: \(error)")
        }
    }

    private func work() {
        while true {
            state.withLock { $0.idle += 1 }
            available.wait()
            let job = state.withLock { state -> Job? in
                state.idle -= 1
                guard state.head < state.jobs.count else { return nil }
                let job = state.jobs[state.head]
                state.head += 1
                if state.head > 1024, state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
            job?()
        }
    }
}
