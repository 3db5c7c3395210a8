import BinderySystem
import Synchronization

/// What a server's event loops share about taking connections: the count against
/// `maxConnections`, and a warning about connections refused, written at most once per
/// `reportInterval` with a count (a flood of connections must not become a flood of log lines).
final class GRPCConnectionGate: Sendable {
    private struct Pending {
        var refused = 0
        var failedAccepts = 0
        var lastFailure: SocketError?
        var lastReport: UInt64?
    }

    let limit: Int
    private let open = Atomic<Int>(0)
    private let pending = Mutex(Pending())
    static let reportInterval: UInt64 = 5_000_000_000

    init(limit: Int) { self.limit = limit }

    /// Counts a new connection in; false, counting nothing, at the limit.
    func admit() -> Bool {
        var current = open.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = open.compareExchange(
                expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Counts out a connection `admit` counted in.
    func release() { open.subtract(1, ordering: .relaxed) }

    /// A connection was closed at once because `limit` were open.
    func noteRefused(now: UInt64) { record(now) { $0.refused += 1 } }

    /// accept4 failed (EMFILE, ENFILE, ENOBUFS…); the loop pauses accepting for a while.
    func noteAcceptFailure(_ error: SocketError, now: UInt64) {
        record(now) {
            $0.failedAccepts += 1
            $0.lastFailure = error
        }
    }

    /// Writes what was counted since the last report, if one is due.
    func reportIfDue(now: UInt64) { record(now) { _ in } }

    private func record(_ now: UInt64, _ update: (inout Pending) -> Void) {
        let lines = pending.withLock { pending -> [String] in
            update(&pending)
            guard pending.refused > 0 || pending.failedAccepts > 0 else { return [] }
            // Loops read the clock at different moments: another's `now` may be later than ours.
            if let last = pending.lastReport, now < last || now - last < Self.reportInterval { return [] }
            var lines: [String] = []
            let since = pending.lastReport.map { " in the last \((now - $0) / 1_000_000_000) s" } ?? ""
            if let failure = pending.lastFailure {
                lines.append(
                    "cannot accept connections: \(failure); \(pending.failedAccepts) failed\(since), retrying "
                        + "every \(GRPCEventLoop.acceptPause / 1_000_000) ms (\(open.load(ordering: .relaxed)) open)")
            }
            if pending.refused > 0 {
                lines.append(
                    "at the connection limit (\(limit) open): closed \(pending.refused) new "
                        + "connection\(pending.refused == 1 ? "" : "s")\(since)")
            }
            pending = Pending(lastReport: now)
            return lines
        }
        for line in lines { Log.warn(line, scope: "grpc") }
    }
}
