import DriverKit
import Synchronization

/// What becomes of each message after the app had it: kept invisible while the app holds it,
/// then deleted, released for redelivery, or handed back untouched.
extension SQSInput {
    /// The queue's visibility timeout, or SQS's default when it cannot be read (logged).
    func visibilitySeconds() async -> Int {
        do {
            return try await queue.visibilityTimeout()
        } catch {
            log(.warn, "cannot read queue \"\(queue.name)\"'s visibility timeout, assuming 30 s: \(error.message)")
            return SQSInput.defaultVisibilitySeconds
        }
    }

    /// Extends `message`'s visibility timeout until cancelled (the app's answer came): first at
    /// half the timeout after its batch was `received` (at once when that has passed), then half
    /// a timeout after each extension was sent. Timed from the receive, not from the offer: a
    /// later message of a batch is offered up to `holdLimit` (half the timeout) after it, and
    /// half a timeout from then would come when SQS may already have handed it to another
    /// consumer. A timeout under 2 s is left alone: the heartbeat could not keep up with it.
    func keepInvisible(
        _ message: SQSMessage, received: ContinuousClock.Instant, seconds: Int
    ) -> Task<Void, Never> {
        Task {
            guard seconds >= 2 else { return }
            let half = Duration.milliseconds(seconds * 500)
            var next = received + half
            while true {
                do { try await Task.sleep(until: next, clock: .continuous) } catch { return }
                let sent = ContinuousClock.now
                do throws(DriverError) {
                    try await queue.makeVisible(message, afterSeconds: seconds)
                    state.withLock { $0.counts.extended += 1 }
                } catch {
                    log(
                        .warn,
                        "cannot extend the visibility timeout of message \(message.messageID), so another consumer may get it too: \(error.message)"
                    )
                }
                next = sent + half
            }
        }
    }

    /// What becomes of a message: deleted (the app succeeded), released (the app failed), or
    /// handed back (never given to the app).
    enum Settlement {
        case delete
        case release(afterSeconds: Int)
        case handBack
    }

    /// How long a message the app failed stays invisible, in seconds: 0 after its first receive,
    /// then 1, 2, 4… (doubling with SQS's ApproximateReceiveCount), never longer than the
    /// queue's visibility timeout (what Dapr waits every time).
    static func nackDelay(receiveCount: Int, visibilitySeconds: Int) -> Int {
        guard receiveCount > 1 else { return 0 }
        let doubling = 1 << min(receiveCount - 2, 30)
        return max(0, min(doubling, visibilitySeconds))
    }

    func settle(_ message: SQSMessage, _ settlement: Settlement) async {
        do {
            switch settlement {
            case .delete: try await queue.delete(message)
            case .release(let seconds): try await queue.makeVisible(message, afterSeconds: seconds)
            case .handBack: try await queue.makeVisible(message)
            }
            state.withLock { state in
                switch settlement {
                case .delete: state.counts.deleted += 1
                case .release: state.counts.released += 1
                case .handBack: state.counts.returned += 1
                }
            }
        } catch {
            state.withLock { $0.counts.settleFailures += 1 }
            let action = if case .delete = settlement { "DeleteMessage" } else { "ChangeMessageVisibility" }
            log(
                .warn,
                "\(action) of message \(message.messageID) failed, so it comes back after its visibility timeout: \(error.message)"
            )
        }
    }

    /// Makes messages that were received but not handed to the app visible again at once, in
    /// one request (a batch is at most 10, as a receive).
    func hand(back messages: ArraySlice<SQSMessage>) async {
        guard !messages.isEmpty else { return }
        do {
            let refused = try await queue.makeVisible(messages)
            state.withLock { state in
                state.counts.returned += messages.count - refused.count
                state.counts.settleFailures += refused.count
            }
            for (id, reason) in refused.sorted(by: { $0.key < $1.key }) {
                log(
                    .warn,
                    "ChangeMessageVisibility of message \(id) failed, so it comes back after its visibility timeout: \(reason)"
                )
            }
        } catch {
            state.withLock { $0.counts.settleFailures += messages.count }
            let ids = messages.map(\.messageID).joined(separator: ", ")
            log(
                .warn,
                "ChangeMessageVisibilityBatch of messages \(ids) failed, so they come back after their visibility timeout: \(error.message)"
            )
        }
    }
}
