import Glibc
import Synchronization

/// SIGINT, SIGTERM and SIGHUP, received by one dedicated thread with `sigwait` so no other
/// thread is interrupted. `block()` must run before any other thread starts, so every thread
/// inherits the mask.
///
/// SIGHUP is handled like SIGTERM (a closed terminal or `kill -HUP` must not kill the process
/// with requests in flight), except when the process started with SIGHUP ignored: `nohup` asks
/// for that, and a blocked signal would otherwise reach `sigwait` even though it is ignored.
package enum Signals {
    private static let chosen = Mutex<[Int32]>([SIGINT, SIGTERM])

    /// The signals `watch` reports, as `block()` chose them.
    package static var handled: [Int32] { chosen.withLock { $0 } }

    package static func block() {
        var current = sigaction()
        sigaction(SIGHUP, nil, &current)
        // SIG_IGN is `(__sighandler_t) 1`, a macro Swift does not import.
        let ignoresHangup = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 1
        let signals = ignoresHangup ? [SIGINT, SIGTERM] : [SIGINT, SIGTERM, SIGHUP]
        chosen.withLock { $0 = signals }
        var set = Self.set(signals)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Calls `received` with each signal, on a dedicated thread, forever.
    package static func watch(_ received: @escaping @Sendable (Int32) -> Void) {
        HostThread.start("signals") {
            var set = Signals.set(Signals.handled)
            while true {
                var signal: Int32 = 0
                if sigwait(&set, &signal) == 0 { received(signal) }
            }
        }
    }

    private static func set(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }
}
