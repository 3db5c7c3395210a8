import BinderySystem

/// What the loop does after a connection did work: finish calls that ended, queue again those
/// the server refused unprocessed, drop a connection that failed or finished, fail calls whose
/// deadline passed, and fail everything at shutdown.
extension GRPCClientLoop {
    static let deadlineStatus = GRPCStatus(.deadlineExceeded, "context deadline exceeded")

    func settle(_ connection: GRPCClientConnection) {
        let (ended, refused) = (connection.ended, connection.refused)
        connection.ended.removeAll()
        connection.refused.removeAll()
        for (call, result) in ended { call.finish(result) }
        for call in refused { retry(call, reason: "the server refused the stream unprocessed") }
        if let failure = connection.failure {
            lose(connection, reason: failure)
        } else if connection.isFinished {
            close(connection)
        }
    }

    /// Queues `call` again (first in line) unless it has used its transparent retries.
    func retry(_ call: GRPCClientCall, reason: String) {
        guard call.attempts <= configuration.maxTransparentRetries else {
            call.finish(GRPCClientResult(status: GRPCStatus(.unavailable, reason)))
            return
        }
        requeue(call)
    }

    /// A connection that broke: calls whose HEADERS never went out are sent again elsewhere,
    /// the others fail UNAVAILABLE with `reason` (the server may have processed them).
    func lose(_ connection: GRPCClientConnection, reason: String) {
        let calls = connection.calls.sorted { $0.key < $1.key }.map(\.value)
        connection.calls.removeAll()
        close(connection)
        for call in calls {
            if call.headersSent {
                call.finish(GRPCClientResult(status: GRPCStatus(.unavailable, reason)))
            } else {
                retry(call, reason: reason)
            }
        }
    }

    func expire(now: UInt64) {
        var kept: [GRPCClientCall] = []
        for call in waiting {
            if call.isExpired(now: now) {
                call.finish(GRPCClientResult(status: Self.deadlineStatus))
            } else {
                kept.append(call)
            }
        }
        if kept.count != waiting.count { waiting = kept }
        for connection in Array(connections.values) {
            let expired = connection.calls.filter { $0.value.isExpired(now: now) }
            guard !expired.isEmpty else { continue }
            for (streamID, call) in expired {
                connection.cancel(streamID)
                call.finish(GRPCClientResult(status: Self.deadlineStatus, headers: call.response.headers))
            }
            _ = connection.flush()
            settle(connection)
        }
    }

    /// At stop: every unfinished call fails, every connection closes, later calls fail at once.
    func shutDown() {
        for connection in Array(connections.values) {
            let calls = Array(connection.calls.values)
            connection.calls.removeAll()
            close(connection)
            for call in calls { call.finish(GRPCClientResult(status: Self.closingStatus)) }
        }
        for call in waiting { call.finish(GRPCClientResult(status: Self.closingStatus)) }
        waiting = []
        for message in closeInbox() {
            switch message {
            case .call(let call): call.finish(GRPCClientResult(status: Self.closingStatus))
            case .connected(_, .success(let fd)): Socket.close(fd)
            case .connected: break
            }
        }
    }
}
