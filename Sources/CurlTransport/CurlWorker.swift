import CCurl
import SystemThreads

/// The loop on a `CurlClient`'s thread.
struct CurlWorker {
    let thread: DedicatedThread<any CurlEasyTransfer>
    let multi: MultiHandle

    private static let stopped = CurlError(.cancelled, "request cancelled: the HTTP client is stopping")

    func run() {
        var active: [UnsafeMutableRawPointer: any CurlEasyTransfer] = [:]
        var wake = curl_waitfd(fd: thread.wakeDescriptor, events: Int16(CURL_WAIT_POLLIN), revents: 0)
        while true {
            let (incoming, stopping) = thread.takeWork()
            if stopping {
                for transfer in incoming { transfer.fail(CurlWorker.stopped) }
                break
            }
            for transfer in incoming {
                let code = curl_multi_add_handle(multi.raw, transfer.easyHandle)
                if code == CURLM_OK {
                    active[transfer.easyHandle] = transfer
                } else {
                    let reason = String(cString: curl_multi_strerror(code))
                    transfer.fail(CurlError(.internalError, "curl_multi_add_handle: \(reason)"))
                }
            }
            var running: Int32 = 0
            _ = curl_multi_perform(multi.raw, &running)
            collectFinished(&active)
            _ = curl_multi_poll(multi.raw, &wake, 1, 1000, nil)
        }
        // Transfers still running end through curl's own timeout (1 ms, checked by one more
        // perform), not by removal: curl finishes a removed handle as if it had succeeded, and for
        // SMTP that means ending the DATA it was sending (the server would accept a truncated
        // message) and waiting up to 120 s for the reply, with this thread blocked.
        for transfer in active.values { _ = bd_curl_setopt_long(transfer.easyHandle, CURLOPT_TIMEOUT_MS, 1) }
        var running: Int32 = 0
        _ = curl_multi_perform(multi.raw, &running)
        for transfer in active.values {
            curl_multi_remove_handle(multi.raw, transfer.easyHandle)
            transfer.fail(CurlWorker.stopped)
        }
        active = [:]
        curl_multi_cleanup(multi.raw)
    }

    private func collectFinished(_ active: inout [UnsafeMutableRawPointer: any CurlEasyTransfer]) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi.raw, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = bd_curl_msg_result(message)
            curl_multi_remove_handle(multi.raw, easy)
            active.removeValue(forKey: easy)?.finish(code)
        }
    }
}
