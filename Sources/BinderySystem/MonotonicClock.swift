import Glibc

/// CLOCK_MONOTONIC in nanoseconds: the clock of every deadline and idle time in bindery and of
/// the ABI's `now_mono_ns`.
package enum MonotonicClock {
    package static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

extension Duration {
    /// Whole nanoseconds (negative durations count as zero), to compare with
    /// `MonotonicClock.nanoseconds()`.
    package var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
