/// Ticks skipped because the host holds as many unacknowledged events as it allows, as WARN
/// lines: the first at once, then at most one line per `interval` with a count, written with the
/// next tick after the interval. Owned by the timer's loop (one task), so it needs no lock.
struct SkippedTicks {
    /// Nanoseconds between two lines.
    let interval: Int64
    private var lastLine: Int64?
    private var count = 0

    init(interval: Int64 = 10_000_000_000) {
        self.interval = interval
    }

    /// The tick firing at `readTime` (Go's UTC text) was skipped at `now`; returns the line to log.
    mutating func skipped(_ readTime: String, at now: Int64) -> String? {
        guard lastLine != nil else {
            lastLine = now
            return "tick at \(readTime) skipped: earlier ticks are still waiting for the app, as many as the "
                + "host allows (2 × --app-max-concurrency, or 256); further skips: one line per "
                + "\(interval / 1_000_000_000) s"
        }
        count += 1
        return summary(at: now)
    }

    /// A tick was accepted at `now`; returns the line for skips not reported yet, if it is due.
    mutating func accepted(at now: Int64) -> String? {
        summary(at: now)
    }

    /// The count of unreported skips once `interval` has passed since the last line; after a
    /// quiet interval the next skip is reported at once again.
    private mutating func summary(at now: Int64) -> String? {
        guard let last = lastLine, now - last >= interval else { return nil }
        guard count > 0 else {
            lastLine = nil
            return nil
        }
        defer { (lastLine, count) = (now, 0) }
        return
            "\(count) \(count == 1 ? "tick" : "ticks") skipped in the last \((now - last) / 1_000_000_000) s: earlier ticks are still "
            + "waiting for the app"
    }
}
