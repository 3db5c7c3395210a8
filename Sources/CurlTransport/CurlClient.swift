import CCurl
import SystemThreads

/// One dedicated thread driving one curl multi handle: the I/O of every exchange of one owner
/// (a driver instance), without blocking the threads `perform` is called on.
///
/// Callers only queue transfers on the thread, which wakes the worker out of
/// `curl_multi_poll` through its wake pipe (polled as an extra descriptor); the worker alone
/// adds, performs, polls and removes handles. `stop` cancels everything and waits for it.
public final class CurlClient: Sendable {
    private let thread = DedicatedThread<any CurlEasyTransfer>(name: "curl thread")

    public init() {}

    /// Creates the multi handle and starts the worker thread; does nothing when started.
    public func start() throws(CurlError) {
        try CurlRuntime.initialize()
        guard thread.phase == .idle else { return }
        guard let raw = curl_multi_init() else {
            throw CurlError(.internalError, "curl_multi_init failed (out of memory?)")
        }
        let multi = MultiHandle(raw: raw)
        do {
            try thread.start { [thread] in CurlWorker(thread: thread, multi: multi).run() }
        } catch {
            curl_multi_cleanup(raw)
            throw CurlError(.internalError, error.description)
        }
    }

    /// Performs `request`, calling `completion` exactly once (on the worker thread, or at once
    /// when the request cannot be set up or the client is not running).
    public func perform(
        _ request: CurlRequest, completion: @escaping @Sendable (Result<CurlResponse, CurlError>) -> Void
    ) {
        let transfer: CurlTransfer
        do {
            transfer = try CurlTransfer(request, completion: completion)
        } catch {
            return completion(.failure(error))
        }
        perform(transfer)
    }

    /// Runs `transfer`, whose easy handle the caller configured, on the worker thread; its
    /// `finish` or `fail` is called exactly once.
    public func perform(_ transfer: any CurlEasyTransfer) {
        guard let refused = thread.submit(transfer) else { return }
        transfer.fail(
            refused == .idle
                ? CurlError(.notStarted, "the HTTP client is not started")
                : CurlError(.cancelled, "request cancelled: the HTTP client is stopping"))
    }

    /// Performs `request` and returns its response or why there is none.
    public func perform(_ request: CurlRequest) async -> Result<CurlResponse, CurlError> {
        await withCheckedContinuation { continuation in
            perform(request) { continuation.resume(returning: $0) }
        }
    }

    /// Cancels every queued and running exchange, stops the worker and waits until its thread
    /// has exited. Safe to call more than once, and before `start`.
    public func stop() async {
        await thread.stop()
    }
}

/// A `CURLM*`. `@unchecked Sendable`: created by `start`, then used by the worker thread alone.
struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}
