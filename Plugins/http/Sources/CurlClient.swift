import CCurl
import DriverKit
import Glibc
import Synchronization

/// One worker thread driving one curl multi handle: the I/O of every request of one driver
/// instance, without blocking the threads `invoke` is called on.
///
/// `invoke` threads only append to `pending` and call `curl_multi_wakeup` (documented as
/// callable from any thread) under the mutex; the worker alone adds, performs, polls and
/// removes handles. `stop` asks the worker to cancel everything and waits for it to exit.
final class CurlClient: Sendable {
    enum Phase { case idle, running, stopping, stopped }

    private struct State {
        var phase = Phase.idle
        var pending: [CurlTransfer] = []
        var multi: MultiHandle?
        var thread: pthread_t?
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Creates the multi handle and the worker thread. Throws when either cannot be made.
    func start() throws {
        try CurlRuntime.initialize()
        try state.withLock { state in
            guard state.phase == .idle else { return }
            guard let raw = curl_multi_init() else {
                throw DriverError(.internalError, "curl_multi_init failed (out of memory?)")
            }
            let multi = MultiHandle(raw: raw)
            let worker = Unmanaged.passRetained(Worker(client: self, multi: multi)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { argument in
                guard let argument else { return nil }
                Unmanaged<Worker>.fromOpaque(argument).takeRetainedValue().run()
                return nil
            }, worker)
            guard status == 0 else {
                Unmanaged<Worker>.fromOpaque(worker).release()
                curl_multi_cleanup(raw)
                throw DriverError(.unavailable, "cannot start the curl thread: \(String(cString: strerror(status)))")
            }
            state.multi = multi
            state.thread = thread
            state.phase = .running
        }
    }

    /// Hands `transfer` to the worker; when the client is not running, completes it at once
    /// with a `.cancelled` (stopped) or `.unavailable` (not started) error.
    func submit(_ transfer: CurlTransfer) {
        let refusal: DriverError? = state.withLock { state in
            switch state.phase {
            case .running:
                state.pending.append(transfer)
                if let multi = state.multi { curl_multi_wakeup(multi.raw) }
                return nil
            case .idle:
                return DriverError(.unavailable, "bindings.http: invoke before start")
            case .stopping, .stopped:
                return DriverError(.cancelled, "bindings.http: the component is stopping")
            }
        }
        if let refusal { transfer.complete(.failure(refusal)) }
    }

    /// Cancels every queued and running request, stops the worker and waits until its thread
    /// has exited. Safe to call more than once, and before `start`.
    func stop() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                switch state.phase {
                case .idle, .stopped:
                    state.phase = .stopped
                    return true
                case .running:
                    state.phase = .stopping
                    if let multi = state.multi { curl_multi_wakeup(multi.raw) }
                    state.stopWaiters.append(waiter)
                    return false
                case .stopping:
                    state.stopWaiters.append(waiter)
                    return false
                }
            }
            if resumeNow { waiter.resume() }
        }
        // The worker resumed us as its very last action; joining reaps the thread (a matter of
        // microseconds, never a wait on I/O).
        if let thread = state.withLock({ state in defer { state.thread = nil }; return state.thread }) {
            pthread_join(thread, nil)
        }
    }

    /// The worker's view: new transfers, and whether to stop. Once it reports stopping, no
    /// submit touches the multi handle again (they see `.stopping` under the same lock).
    fileprivate func takeWork() -> (transfers: [CurlTransfer], stopping: Bool) {
        state.withLock { state in
            defer { state.pending = [] }
            return (state.pending, state.phase != .running)
        }
    }

    /// Marks the client stopped and returns who waits for that.
    fileprivate func markStopped() -> [CheckedContinuation<Void, Never>] {
        state.withLock { state in
            state.phase = .stopped
            state.multi = nil
            defer { state.stopWaiters = [] }
            return state.stopWaiters
        }
    }
}

/// A `CURLM*`. `@unchecked Sendable`: after creation it is used by the worker thread alone,
/// except `curl_multi_wakeup`, which curl documents as safe from any thread, and which we only
/// call under CurlClient's mutex while the worker has not begun to tear the handle down.
struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// The loop on the worker thread.
private final class Worker: Sendable {
    let client: CurlClient
    let multi: MultiHandle

    init(client: CurlClient, multi: MultiHandle) {
        self.client = client
        self.multi = multi
    }

    func run() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            let (incoming, stopping) = client.takeWork()
            if stopping {
                for transfer in incoming { transfer.complete(.failure(Worker.stopped)) }
                break
            }
            for transfer in incoming {
                let code = curl_multi_add_handle(multi.raw, transfer.easy)
                if code == CURLM_OK {
                    active[transfer.easy] = transfer
                } else {
                    let reason = String(cString: curl_multi_strerror(code))
                    transfer.complete(.failure(DriverError(.internalError, "curl_multi_add_handle: \(reason)")))
                }
            }
            var running: Int32 = 0
            _ = curl_multi_perform(multi.raw, &running)
            collectFinished(&active)
            _ = curl_multi_poll(multi.raw, nil, 0, 1000, nil)
        }
        for transfer in active.values {
            curl_multi_remove_handle(multi.raw, transfer.easy)
            transfer.complete(.failure(Worker.stopped))
        }
        active = [:]
        curl_multi_cleanup(multi.raw)
        for waiter in client.markStopped() { waiter.resume() }
    }

    private static let stopped = DriverError(.cancelled, "bindings.http: request cancelled: the component is stopping")

    private func collectFinished(_ active: inout [UnsafeMutableRawPointer: CurlTransfer]) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi.raw, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = bd_curl_msg_result(message)
            curl_multi_remove_handle(multi.raw, easy)
            active.removeValue(forKey: easy)?.finish(code)
        }
    }
}
