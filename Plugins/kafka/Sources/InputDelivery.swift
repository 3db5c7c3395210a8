import DriverKit

/// The input side's decisions, shared between the consumer thread and host threads: hands
/// records to the app, collects the app's answers, and says what each answer means for the
/// record's offset.
///
/// The consumer thread (KafkaConsumer, PartitionLanes) never blocks on the app: it emits, goes
/// back to polling, and picks the answers up with `takeAnswers` when `settle` wakes it. A
/// failure (non-2xx, no answer) is delivered again per `RetryPolicy` when `consumeRetryEnabled`
/// is true; otherwise, or when the retries ran out, it is logged and skipped, as Dapr's binding
/// does. Host threads only record answers (`settle`) and never wait.
final class InputDelivery: Sendable {
    typealias Emit = @Sendable (_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome

    /// What happened so far; tests read it.
    struct Counts: Sendable, Equatable {
        /// Events handed to the host (every attempt of every record).
        var emitted = 0
        var acknowledged = 0
        /// Records skipped after a failure (retries off or exhausted, or the app said drop).
        var skipped = 0
        /// Records left uncommitted because input stopped, or their partition moved, while the
        /// app held them.
        var released = 0
    }

    /// What an answer means for the record: commit past it, or deliver it again after a delay.
    enum Verdict: Equatable {
        case commit
        case again(afterMilliseconds: Int64)
    }

    private struct State {
        var emit: Emit?
        var stopping = false
        var answers: [UInt64: Acknowledgement.Kind] = [:]
        var counts = Counts()
    }

    private let gate = Gate(State())
    private let retry: RetryPolicy?
    private let component: String
    private let log: @Sendable (LogLevel, String) -> Void
    /// Wakes the consumer thread out of its poll (set once it polls).
    private let waker = Gate<(@Sendable () -> Void)?>(nil)

    init(retry: RetryPolicy?, component: String, log: @escaping @Sendable (LogLevel, String) -> Void) {
        self.retry = retry
        self.component = component
        self.log = log
    }

    var counts: Counts { gate.read { $0.counts } }

    /// Where events go from now on.
    func attach(_ emit: @escaping Emit) { gate.update { $0.emit = emit } }

    /// How an answer wakes the consumer thread (nil: it no longer polls).
    func wakeWith(_ wake: (@Sendable () -> Void)?) { waker.update { $0 = wake } }

    /// The app's answer to event `id` (any host thread; never blocks on the app or Kafka).
    func settle(_ id: UInt64, _ kind: Acknowledgement.Kind) {
        gate.update { $0.answers[id] = kind }
        waker.read { $0?() }
    }

    /// Stops emitting. Answers that come in later are still taken (and committed) while the
    /// consumer closes; a record still unanswered stays uncommitted.
    func stop() {
        gate.update { $0.stopping = true }
        waker.read { $0?() }
    }

    var isStopping: Bool { gate.read { $0.stopping } }

    /// Hands `record` to the app (consumer thread). `.stopped` once input stops.
    func emit(_ record: KafkaRecord) -> EventSink.Outcome {
        guard let emit = gate.read({ $0.stopping ? nil : $0.emit }) else { return .stopped }
        let outcome = emit(record.value, record.metadata)
        if case .accepted = outcome { gate.update { $0.counts.emitted += 1 } }
        return outcome
    }

    /// The answers that came in since the last call.
    func takeAnswers() -> [UInt64: Acknowledgement.Kind] {
        gate.update { state in
            defer { state.answers = [:] }
            return state.answers
        }
    }

    /// Blocks the consumer thread until one of `ids` is answered, input stops, or `deadline`
    /// (CLOCK_MONOTONIC ns) passes: while partitions are revoked, their records in the app's
    /// hands get the chance to be answered and committed before they move.
    func waitForAnswer(among ids: Set<UInt64>, until deadline: UInt64) {
        gate.wait(until: deadline, for: { $0.stopping || $0.answers.keys.contains(where: ids.contains) }) { _ in () }
    }

    /// What the app's answer `kind` on the `attempt`th delivery of `record` means.
    func verdict(_ kind: Acknowledgement.Kind, for record: KafkaRecord, attempt: Int) -> Verdict {
        if kind == .ack {
            gate.update { $0.counts.acknowledged += 1 }
            return .commit
        }
        if kind == .retry, let delay = retry?.delay(beforeRetry: attempt) {
            log(.warn, "\(component): the app failed \(describe(record)); delivering it again in \(delay) ms")
            return .again(afterMilliseconds: delay)
        }
        log(.error, "\(component): the app failed \(describe(record)) \(attempt) time(s); skipping it")
        gate.update { $0.counts.skipped += 1 }
        return .commit
    }

    /// A record left uncommitted: input stopped or its partition moved while the app held it.
    func released(_ count: Int = 1) { gate.update { $0.counts.released += count } }

    private func describe(_ record: KafkaRecord) -> String {
        "the record at \(record.topic)/\(record.partition)/\(record.offset)"
    }
}
