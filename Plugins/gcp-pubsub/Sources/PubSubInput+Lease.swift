import DriverKit
import Synchronization

/// What becomes of each message after the app had it: its ack deadline extended while the app
/// holds it, then acknowledged, released for redelivery, or handed back untouched.
extension PubSubInput {
    /// The ack deadline each extension sets, in seconds: if bindery dies, a message it held comes
    /// back this long after the last extension at most.
    static let leaseSeconds = 30
    /// The first extension, this long after the pull: half the shortest ack deadline a
    /// subscription may have (10 s), so it comes before any subscription's deadline passes.
    static let firstExtension: Duration = .seconds(5)
    /// Later extensions, a third of the lease apart: two may fail before the deadline passes.
    static let extensionInterval: Duration = .seconds(10)

    /// Extends the ack deadline of `messages` (the one offered and those of its batch still
    /// waiting) in one modifyAckDeadline per round, at `due` and then every `extensionInterval`,
    /// until cancelled (the app's answer came). Returns when the next round would be due, for
    /// the next message of the batch.
    func keepLeased(_ messages: ArraySlice<PubSubMessage>, from due: ContinuousClock.Instant)
        -> Task<ContinuousClock.Instant, Never>
    {
        let ackIDs = messages.map(\.ackID)
        return Task {
            var next = due
            while true {
                do { try await Task.sleep(until: next, clock: .continuous) } catch { return next }
                let sent = ContinuousClock.now
                do throws(DriverError) {
                    try await client.modifyAckDeadline(
                        ackIDs, seconds: PubSubInput.leaseSeconds, subscription: subscription)
                    state.withLock { $0.counts.extended += 1 }
                } catch {
                    log(
                        .warn,
                        "cannot extend the ack deadline of message \(messages.first?.messageID ?? ""), so another subscriber may get it too: \(error.message)"
                    )
                }
                next = sent + PubSubInput.extensionInterval
            }
        }
    }

    /// What becomes of a message the app answered.
    enum Settlement {
        /// The app succeeded: acknowledge.
        case acknowledge
        /// The app failed: ack deadline 0, redelivered at once.
        case release
    }

    func settle(_ message: PubSubMessage, _ settlement: Settlement) async {
        do throws(DriverError) {
            switch settlement {
            case .acknowledge: try await client.acknowledge([message.ackID], subscription: subscription)
            case .release: try await client.modifyAckDeadline([message.ackID], seconds: 0, subscription: subscription)
            }
            state.withLock { state in
                switch settlement {
                case .acknowledge: state.counts.acknowledged += 1
                case .release: state.counts.released += 1
                }
            }
        } catch {
            state.withLock { $0.counts.settleFailures += 1 }
            let action = settlement == .acknowledge ? "acknowledge" : "modifyAckDeadline"
            log(
                .warn,
                "\(action) of message \(message.messageID) failed, so it comes back after its ack deadline: \(error.message)"
            )
        }
    }

    /// Hands messages that were pulled but not given to the app back for redelivery at once, in
    /// one modifyAckDeadline to 0.
    func hand(back messages: ArraySlice<PubSubMessage>) async {
        guard !messages.isEmpty else { return }
        do throws(DriverError) {
            try await client.modifyAckDeadline(messages.map(\.ackID), seconds: 0, subscription: subscription)
            state.withLock { $0.counts.returned += messages.count }
        } catch {
            state.withLock { $0.counts.settleFailures += messages.count }
            let ids = messages.map(\.messageID).joined(separator: ", ")
            log(
                .warn,
                "modifyAckDeadline of messages \(ids) failed, so they come back after their ack deadline: \(error.message)"
            )
        }
    }
}
