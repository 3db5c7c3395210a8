import DriverKit

/// The input side: turns each message the consumer connection receives into events for the
/// app and decides whether the broker may consider it delivered.
///
/// `handle` runs on the consumer connection's thread and blocks it until the app answered the
/// event: the message's PUBACK cannot go out before (see MQTTConnection and shim.h), so one
/// message is in the app's hands at a time and it is acknowledged to the broker only after a
/// 2xx (or after the retries `backOffMaxRetries` allows ran out). Host threads only record
/// acks (`settle`) and never wait.
final class Subscriber: Sendable {
    typealias Emit = @Sendable (_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome

    /// What happened so far; tests read it.
    struct Counts: Sendable, Equatable {
        /// Events handed to the host (every attempt of every message).
        var emitted = 0
        /// Messages acknowledged to the broker after the app's 2xx.
        var acknowledged = 0
        /// Messages acknowledged to the broker after the retries ran out (or a drop).
        var dropped = 0
        /// Redeliveries of messages the app had already answered, acknowledged without an event.
        var suppressed = 0
        /// Messages left unacknowledged (stop): the broker delivers them again.
        var released = 0
    }

    private struct State {
        var emit: Emit?
        var stopping = false
        var acks: [UInt64: Acknowledgement.Kind] = [:]
        var ackCount = 0
        var recent = RecentMessages()
        var counts = Counts()
    }

    private let gate = Gate(State())
    private let maxRetries: Int
    private let retryIntervalNanoseconds: UInt64
    private let log: @Sendable (LogLevel, String) -> Void

    init(maxRetries: Int, retryIntervalMilliseconds: UInt64, log: @escaping @Sendable (LogLevel, String) -> Void) {
        self.maxRetries = maxRetries
        self.retryIntervalNanoseconds = retryIntervalMilliseconds * 1_000_000
        self.log = log
    }

    var counts: Counts { gate.read { $0.counts } }

    /// Where events go from now on.
    func attach(_ emit: @escaping Emit) { gate.update { $0.emit = emit } }

    /// The app's answer to event `id` (any host thread; never blocks).
    func settle(_ id: UInt64, _ kind: Acknowledgement.Kind) {
        gate.update { state in
            guard !state.stopping else { return }
            state.acks[id] = kind
            state.ackCount += 1
        }
    }

    /// The consumer connection is up again; `sessionPresent` is the CONNACK's flag.
    func connectionOpened(sessionPresent: Bool) {
        gate.update { $0.recent.connectionOpened(sessionPresent: sessionPresent) }
    }

    /// Stops emitting and wakes a thread waiting for an answer: that message stays unacknowledged.
    func stop() {
        gate.update { state in
            state.stopping = true
            state.acks = [:]
        }
    }

    /// Delivers `message` to the app (connection thread; blocks it). True: acknowledge it.
    func handle(_ message: ReceivedMessage) -> Bool {
        let fingerprint = RecentMessages.Fingerprint(message)
        let seen = gate.update { state in
            guard state.recent.isResend(fingerprint) else { return false }
            state.counts.suppressed += 1
            return true
        }
        if seen {
            log(
                .debug,
                "message \(message.mid) on \"\(message.topic)\" was already answered by the app; acknowledging the redelivery"
            )
            return true
        }
        var attempts = 0
        while true {
            let (emit, acksBefore) = gate.read { ($0.stopping ? nil : $0.emit, $0.ackCount) }
            guard let emit else { return release() }
            gate.update { $0.counts.emitted += 1 }
            switch emit(message.payload, ["topic": message.topic]) {
            case .stopped:
                gate.update { $0.counts.emitted -= 1 }
                return release()
            case .busy:
                gate.update { $0.counts.emitted -= 1 }
                gate.wait(until: MonotonicClock.now() + 100_000_000, for: { $0.stopping || $0.ackCount != acksBefore })
                { _ in ()
                }
            case .accepted(let id):
                let kind = gate.wait(until: nil, for: { $0.stopping || $0.acks[id] != nil }) {
                    $0.acks.removeValue(forKey: id)
                }
                guard let kind else { return release() }
                if kind == .retry {
                    attempts += 1
                    if maxRetries < 0 || attempts <= maxRetries {
                        let stopping = gate.wait(
                            until: MonotonicClock.now() + retryIntervalNanoseconds, for: { $0.stopping }
                        ) {
                            $0.stopping
                        }
                        if stopping { return release() }
                        continue
                    }
                    log(
                        .warn,
                        "the app failed message \(message.mid) on \"\(message.topic)\" \(attempts) times; "
                            + "backOffMaxRetries is \(maxRetries): dropping it")
                }
                gate.update { state in
                    state.recent.insert(fingerprint)
                    if kind == .ack { state.counts.acknowledged += 1 } else { state.counts.dropped += 1 }
                }
                return true
            }
        }
    }

    private func release() -> Bool {
        gate.update { $0.counts.released += 1 }
        return false
    }
}
