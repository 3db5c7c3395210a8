import CCurl
import SystemThreads

/// The loop on a `CurlClient`'s thread.
struct CurlWorker {
    let thread: DedicatedThread<CurlTransfer>
    let multi: MultiHandle

    private static let stopped = CurlError(.cancelled, "request cancelled: the HTTP client is stopping")

    func run() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        var wake = curl_waitfd(fd: thread.wakeDescriptor, events: Int16(CURL_WAIT_POLLIN), revents: 0)
        while true {
            let (incoming, stopping) = thread.takeWork()
            if stopping {
                for transfer in incoming { transfer.complete(.failure(CurlWorker.stopped)) }
                break
            }
            for transfer in incoming {
                let code = curl_multi_add_handle(multi.raw, transfer.easy)
                if code == CURLM_OK {
                    active[transfer.easy] = transfer
                } else {
                    let reason = String(cString: curl_multi_strerror(code))
                    transfer.complete(.failure(CurlError(.internalError, "curl_multi_add_handle: \(reason)")))
                }
            }
            var running: Int32 = 0
            _ = curl_multi_perform(multi.raw, &running)
            collectFinished(&active)
            _ = curl_multi_poll(multi.raw, &wake, 1, 1000, nil)
        }
        for transfer in active.values {
            curl_multi_remove_handle(multi.raw, transfer.easy)
            transfer.complete(.failure(CurlWorker.stopped))
        }
        active = [:]
        curl_multi_cleanup(multi.raw)
    }

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
