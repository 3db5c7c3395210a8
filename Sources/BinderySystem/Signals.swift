import Glibc

/// SIGINT and SIGTERM, received by one dedicated thread with `sigwait` so no other thread is
/// interrupted. `block()` must run before any other thread starts, so every thread inherits
/// the mask.
package enum Signals {
    static let handled: [Int32] = [SIGINT, SIGTERM]

    package static func block() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Calls `received` with each signal, on a dedicated thread, forever.
    package static func watch(_ received: @escaping @Sendable (Int32) -> Void) {
        HostThread.start("signals") {
            var set = sigset_t()
            sigemptyset(&set)
            for signal in Signals.handled { sigaddset(&set, signal) }
            while true {
                var signal: Int32 = 0
                if sigwait(&set, &signal) == 0 { received(signal) }
            }
        }
    }
}
