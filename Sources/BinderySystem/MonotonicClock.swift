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
