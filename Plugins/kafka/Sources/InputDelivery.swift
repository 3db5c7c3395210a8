import DriverKit

/// The input side's decisions: hands each record to the app and says whether its offset may be
/// committed.
///
/// `handle` runs on the consumer thread and blocks it until the app answered, so one record is
/// in the app's hands at a time and offsets are committed in order: never past a record the app
/// has not answered. A failure (non-2xx, no answer) is delivered again per `RetryPolicy` when
/// `consumeRetryEnabled` is true; otherwise, or when the retries ran out, it is logged and
/// skipped, as Dapr's binding does. Host threads only record answers (`settle`) and never wait.
final class InputDelivery: Sendable {
    typealias Emit = @Sendable (_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome

    /// What happened so far; tests read it.
    struct Counts: Sendable, Equatable {
        /// Events handed to the host (every attempt of every record).
        var emitted = 0
        var acknowledged = 0
        /// Records skipped after a failure (retries off or exhausted, or the app said drop).
        var skipped = 0
        /// Records left uncommitted because input stopped while the app held them.
        var released = 0
    }

    enum Verdict: Equatable { case commit, release }

    private struct State {
        var emit: Emit?
        var stopping = false
        var acks: [UInt64: Acknowledgement.Kind] = [:]
        var ackCount = 0
        var counts = Counts()
    }

    private let gate = Gate(State())
    private let retry: RetryPolicy?
    private let component: String
    private let log: @Sendable (LogLevel, String) -> Void

    init(retry: RetryPolicy?, component: String, log: @escaping @Sendable (LogLevel, String) -> Void) {
        self.retry = retry
        self.component = component
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

    /// Stops emitting and wakes a thread waiting for an answer: that record stays uncommitted.
    func stop() {
        gate.update { state in
            state.stopping = true
            state.acks = [:]
        }
    }

    var isStopping: Bool { gate.read { $0.stopping } }

    /// Delivers `record` until the app answered it or input stops (consumer thread; blocks it).
    func handle(_ record: KafkaRecord) -> Verdict {
        var attempt = 0
        while true {
            let (emit, acksBefore) = gate.read { ($0.stopping ? nil : $0.emit, $0.ackCount) }
            guard let emit else { return release() }
            switch emit(record.value, record.metadata) {
            case .stopped: return release()
            case .busy:
                gate.wait(until: Clock.now() + 100_000_000, for: { $0.stopping || $0.ackCount != acksBefore }) { _ in ()
                }
            case .accepted(let id):
                gate.update { $0.counts.emitted += 1 }
                let kind = gate.wait(until: nil, for: { $0.stopping || $0.acks[id] != nil }) {
                    $0.acks.removeValue(forKey: id)
                }
                guard let kind else { return release() }
                if kind == .ack {
                    gate.update { $0.counts.acknowledged += 1 }
                    return .commit
                }
                attempt += 1
                if kind == .retry, let delay = retry?.delay(beforeRetry: attempt) {
                    log(.warn, "\(component): the app failed \(describe(record)); delivering it again in \(delay) ms")
                    let stopping = gate.wait(until: Clock.now() + UInt64(delay) * 1_000_000, for: { $0.stopping }) {
                        $0.stopping
                    }
                    if stopping { return release() }
                    continue
                }
                log(.error, "\(component): the app failed \(describe(record)) \(attempt) time(s); skipping it")
                gate.update { $0.counts.skipped += 1 }
                return .commit
            }
        }
    }

    private func describe(_ record: KafkaRecord) -> String {
        "the record at \(record.topic)/\(record.partition)/\(record.offset)"
    }

    private func release() -> Verdict {
        gate.update { $0.counts.released += 1 }
        return .release
    }
}
