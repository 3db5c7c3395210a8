#if canImport(Glibc)
    import Glibc
#endif

/// The time an output request has left before the host's deadline (`InvokeRequest.deadline`),
/// as the timeout of the call a driver makes for it.
public enum RequestDeadline {
    /// Milliseconds until `deadline` (CLOCK_MONOTONIC nanoseconds, as the host gives it); nil for
    /// no deadline. Throws a timeout error starting with `prefix` (the component, or a Dapr
    /// binding's own prefix such as `s3 binding error`) when it has already passed.
    public static func milliseconds(left deadline: UInt64?, prefix: String) throws(DriverError) -> Int64? {
        guard let deadline else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        guard deadline > nanoseconds else {
            throw DriverError(.timeout, "\(prefix): the request's deadline passed before it was sent")
        }
        return Int64(clamping: (deadline - nanoseconds + 999_999) / 1_000_000)
    }
}
