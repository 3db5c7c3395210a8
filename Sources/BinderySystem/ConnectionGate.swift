import Glibc
import Synchronization

/// What a server's event loops share about taking connections: the count against its
/// connection limit, and warnings about connections refused or not accepted, written at most
/// once per `reportInterval` with a count (a flood of connections must not become a flood of
/// log lines). One gate serves every loop of one server (HTTP, gRPC, a component's socket).
package final class ConnectionGate: Sendable {
    private struct Pending {
        var refused = 0
        var failedAccepts = 0
        var lastFailure: SocketError?
        var lastReport: UInt64?
    }

    /// How long a loop leaves the listener alone after accept4 failed (Go's http.Server sleeps
    /// 5 ms doubling up to 1 s after such an error; a fixed 100 ms is as gentle and simpler).
    package static let acceptPause: UInt64 = 100_000_000
    static let reportInterval: UInt64 = 5_000_000_000

    package let limit: Int
    /// The log scope of the warnings ("http", "grpc").
    private let scope: String
    /// What happens to a connection past the limit, as the warning says it ("closed").
    private let refusal: String
    private let open = Atomic<Int>(0)
    private let pending = Mutex(Pending())

    /// A gate for `limit` connections; `refusal` completes "at the connection limit (N open):
    /// <refusal> 3 connections" in the warning.
    package init(limit: Int, scope: String, refusal: String) {
        (self.limit, self.scope, self.refusal) = (limit, scope, refusal)
    }

    /// Connections counted in now.
    package var openConnections: Int { open.load(ordering: .relaxed) }

    /// Counts a new connection in; false, counting nothing, at the limit.
    package func admit() -> Bool {
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
    package func release() { open.subtract(1, ordering: .relaxed) }

    /// A connection was refused because `limit` were open.
    package func noteRefused(now: UInt64) { record(now) { $0.refused += 1 } }

    /// accept4 failed (EMFILE, ENFILE, ENOBUFS…); the loop pauses accepting for `acceptPause`.
    package func noteAcceptFailure(_ error: SocketError, now: UInt64) {
        record(now) {
            $0.failedAccepts += 1
            $0.lastFailure = error
        }
    }

    /// Writes what was counted since the last report, if one is due; the loops call it on their
    /// timer scans so that the last counts of a burst are not left unreported.
    package func reportIfDue(now: UInt64) { record(now) { _ in } }

    private func record(_ now: UInt64, _ update: (inout Pending) -> Void) {
        let lines = pending.withLock { pending -> [String] in
            update(&pending)
            guard pending.refused > 0 || pending.failedAccepts > 0 else { return [] }
            // Loops read the clock at different moments: another's `now` may be later than ours.
            if let last = pending.lastReport, now < last || now - last < Self.reportInterval { return [] }
            let lines = report(pending, now: now)
            pending = Pending(lastReport: now)
            return lines
        }
        for line in lines { Log.warn(line, scope: scope) }
    }

    private func report(_ pending: Pending, now: UInt64) -> [String] {
        let since = pending.lastReport.map { " in the last \((now - $0) / 1_000_000_000) s" } ?? ""
        let files = Self.openFileLimit.map(String.init) ?? "none"
        var lines: [String] = []
        if let failure = pending.lastFailure {
            lines.append(
                "cannot accept connections: \(failure); \(pending.failedAccepts) failed\(since), "
                    + "retrying every \(Self.acceptPause / 1_000_000) ms "
                    + "(\(openConnections) connections open, open-file limit \(files))")
        }
        if pending.refused > 0 {
            lines.append(
                "at the connection limit (\(limit) open): \(refusal) "
                    + "\(pending.refused) connection\(pending.refused == 1 ? "" : "s")\(since)")
        }
        return lines
    }

    /// The soft RLIMIT_NOFILE; nil when unlimited or unknown.
    package static var openFileLimit: Int? {
        var limit = rlimit()
        let infinity = rlim_t.max  // RLIM_INFINITY, which Swift cannot import
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != infinity else {
            return nil
        }
        return Int(clamping: limit.rlim_cur)
    }
}
