import Glibc

/// CLOCK_MONOTONIC in nanoseconds: the clock of request deadlines (the host's too) and of every
/// wait on a `Gate`; wall-clock jumps do not move it.
public enum MonotonicClock {
    public static func now() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// `milliseconds` from now.
    public static func after(milliseconds: UInt64) -> UInt64 { now() + milliseconds * 1_000_000 }
}
