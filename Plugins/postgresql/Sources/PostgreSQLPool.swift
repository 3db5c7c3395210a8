import DriverKit
import Synchronization

/// Up to maxConns connections, each on its own worker thread, and the requests waiting for one.
///
/// A request goes to the idle worker that was used last (its connection is most likely open:
/// as with pgxpool, a light load keeps few connections), or waits in `pending` until a worker
/// is done. Connections open on first use and re-open after the server went away; no request
/// waits for a server that is down longer than one connection attempt.
final class PostgreSQLPool: Sendable {
    let settings: PostgreSQLSettings

    private struct State {
        var workers: [PostgreSQLWorker] = []
        /// Indexes of idle workers; the last one was used most recently.
        var idle: [Int] = []
        var pending: [PostgreSQLRequest] = []
        var phase = Phase.idle
    }

    private enum Phase { case idle, running, stopped }

    private let state = Mutex(State())

    init(settings: PostgreSQLSettings) {
        self.settings = settings
    }

    /// Starts the worker threads (no connection is opened here unless pool_min_conns asks).
    func start() throws(DriverError) {
        let workers = (0..<settings.pool.maxConns).map { PostgreSQLWorker(index: $0, pool: self) }
        let started = state.withLock { state -> Bool in
            guard state.phase == .idle else { return false }
            state.workers = workers
            state.idle = Array(workers.indices.reversed())
            state.phase = .running
            return true
        }
        guard started else { return }
        for worker in workers {
            do { try worker.thread.start { worker.run() } } catch {
                throw DriverError(.unavailable, "\(settings.component): \(error.description)")
            }
        }
    }

    /// Hands `request` to an idle worker or queues it; fails it at once when stopped.
    func submit(_ request: PostgreSQLRequest) {
        enum Outcome {
            case worker(PostgreSQLWorker)
            case queued, refused
        }
        let outcome = state.withLock { state -> Outcome in
            guard state.phase == .running else { return .refused }
            guard let index = state.idle.popLast() else {
                state.pending.append(request)
                return .queued
            }
            return .worker(state.workers[index])
        }
        switch outcome {
        case .worker(let worker):
            if worker.thread.submit(request) != nil { request.fail(PostgreSQLRequest.stopping) }
        case .queued: break
        case .refused: request.fail(PostgreSQLRequest.stopping)
        }
    }

    /// For a worker that is done: the next waiting request, or nil (the worker is idle again).
    func next(after worker: PostgreSQLWorker) -> PostgreSQLRequest? {
        state.withLock { state in
            guard state.phase == .running else { return nil }
            if !state.pending.isEmpty { return state.pending.removeFirst() }
            state.idle.append(worker.index)
            return nil
        }
    }

    /// Fails waiting requests, cancels running ones, closes every connection and joins every
    /// worker thread. Safe to call more than once.
    func stop() async {
        let (workers, pending) = state.withLock { state in
            state.phase = .stopped
            defer { state.pending = [] }
            return (state.workers, state.pending)
        }
        for request in pending { request.fail(PostgreSQLRequest.stopping) }
        for worker in workers { worker.thread.requestStop() }
        for worker in workers { await worker.thread.stop() }
    }
}
