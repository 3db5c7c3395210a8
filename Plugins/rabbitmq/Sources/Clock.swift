import Glibc

/// CLOCK_MONOTONIC in nanoseconds: the clock of request deadlines and of every wait here.
enum Clock {
    static func now() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    static func after(milliseconds: UInt64) -> UInt64 { now() + milliseconds * 1_000_000 }
}
