import Glibc

/// The time source of the firing loop; tests inject a manual one.
protocol WallClock: Sendable {
    /// Now, in Unix nanoseconds (wall clock, may jump).
    func now() -> Int64
    /// Suspends until `now() >= deadline`; throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Int64) async throws
}

/// CLOCK_REALTIME, slept on in steps of at most one minute so that a wall-clock change (NTP
/// step, manual set) delays or advances a firing by at most that much.
struct SystemClock: WallClock {
    private static let maximumStep: Int64 = 60_000_000_000

    func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    func sleep(until deadline: Int64) async throws {
        while true {
            let remaining = deadline - now()
            if remaining <= 0 { return }
            try await Task.sleep(for: .nanoseconds(min(remaining, SystemClock.maximumStep)))
        }
    }
}
