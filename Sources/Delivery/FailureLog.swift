import Synchronization

/// Failed deliveries as WARN lines, bounded: per component the first failure is written at once
/// with its reason, later ones at most once per `interval` as a count with the last reason.
/// A count still pending is written with the next failure or success after the interval; after a
/// quiet interval the next failure is written at once again.
///
/// A tick every 100 ms to an app that is down writes one line per 10 s instead of 100, and no
/// failure goes unmentioned while events keep coming (`/v1.0/metadata` counts every one).
final class FailureLog: Sendable {
    private struct Pending {
        var lastLine: ContinuousClock.Instant
        var count = 0
        var lastReason = ""
    }

    private let interval: Duration
    private let write: @Sendable (_ component: String, _ message: String) -> Void
    private let pending = Mutex<[String: Pending]>([:])

    /// `write` takes each line (the host's log at WARN; tests collect them).
    init(interval: Duration, write: @escaping @Sendable (_ component: String, _ message: String) -> Void) {
        self.interval = interval
        self.write = write
    }

    /// One delivery of `component` failed for `reason`.
    func failed(_ component: String, reason: String, at now: ContinuousClock.Instant = .now) {
        let line = pending.withLock { pending -> String? in
            guard var entry = pending[component] else {
                pending[component] = Pending(lastLine: now)
                let seconds = interval.components.seconds
                return "delivery to the app failed: \(Self.short(reason)) (further failures: one line per \(seconds) s)"
            }
            entry.count += 1
            entry.lastReason = Self.short(reason)
            pending[component] = entry
            return summary(component, &pending, now: now)
        }
        if let line { write(component, line) }
    }

    /// One delivery of `component` succeeded.
    func succeeded(_ component: String, at now: ContinuousClock.Instant = .now) {
        let line = pending.withLock { summary(component, &$0, now: now) }
        if let line { write(component, line + "; the app accepts events again") }
    }

    /// `reason` cut to 300 characters: an app's error page is for the debug log.
    private static func short(_ reason: String) -> String {
        reason.count <= 300 ? reason : reason.prefix(300) + "…"
    }

    /// The line for `component`'s pending failures once `interval` has passed since its last line;
    /// forgets a component with nothing pending by then.
    private func summary(_ component: String, _ pending: inout [String: Pending], now: ContinuousClock.Instant)
        -> String?
    {
        guard let entry = pending[component], now - entry.lastLine >= interval else { return nil }
        guard entry.count > 0 else {
            pending[component] = nil
            return nil
        }
        pending[component] = Pending(lastLine: now)
        let seconds = (now - entry.lastLine).components.seconds
        let what = entry.count == 1 ? "delivery" : "deliveries"
        return "\(entry.count) \(what) to the app failed in the last \(seconds) s: \(entry.lastReason)"
    }
}
