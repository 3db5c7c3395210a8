import DriverKit
import Synchronization

/// The input side: pulls the subscription and hands each message to the app, one at a time in
/// the order Pub/Sub returned them, acknowledging a message only after the app's 2xx.
///
/// What happens to a message, and how it differs from Dapr's binding (the Go client's
/// `Receive`):
/// - The app answers 2xx (or drops it): acknowledge (as Dapr). An acknowledge that fails leaves
///   the message to come back after its ack deadline: delivered twice, never lost (counted).
/// - The app fails (a nack): modifyAckDeadline to 0, so Pub/Sub redelivers it at once (as the Go
///   client's Nack). The subscription's retry policy and dead-letter topic still apply.
/// - While the app holds a message, the ack deadline of it and of the rest of its batch is
///   extended (`PubSubInput+Lease`), so a slow app does not see it handed to another subscriber
///   (a replica, the next generation during a swap) and get it twice. The Go client does the same.
/// - Up to 10 messages come per pull; when input stops, those not yet handed to the app are
///   handed back at once in one modifyAckDeadline (Dapr's client leaves them to their deadline).
/// - Input stops: nothing new goes to the app; the answer to the message the app holds is
///   awaited (up to `drainLimit`) and settled, then the pull in flight is cut short. A message
///   whose answer did not come is left to its ack deadline (`leaseSeconds` once extended, else
///   the subscription's).
///
/// The loop runs as one task; the app's answers arrive on host threads through `settle`.
final class PubSubInput: Sendable {
    typealias Emit = @Sendable (_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome

    struct Counts: Sendable, Equatable {
        /// Messages handed to the app (a redelivery counts again).
        var emitted = 0
        /// Messages acknowledged after the app's 2xx.
        var acknowledged = 0
        /// Messages handed back for redelivery after the app failed them.
        var released = 0
        /// Messages pulled but not handed to the app (input stopping), handed back.
        var returned = 0
        /// Acknowledges or deadline changes that failed (the message comes back after its ack
        /// deadline).
        var settleFailures = 0
        /// Ack deadline extensions sent while the app held a message.
        var extended = 0
    }

    static let batchSize = 10
    /// How long one pull waits for messages before it is cut and sent again.
    static let pullWaitMilliseconds: Int64 = 20_000
    /// How long stop waits for the app's answer to the message it holds.
    static let drainLimit: Duration = .seconds(4)
    /// How long stop waits, after the app's answer, for it to be settled and the rest of the
    /// batch handed back.
    static let settleLimit: Duration = .seconds(5)
    /// Pause after a failed pull: doubles from the first to the last.
    static let retryPauses: (first: Duration, last: Duration) = (.milliseconds(100), .seconds(5))

    /// What the loop is doing: stop waits while it talks to the app or settles messages.
    enum Phase { case pulling, delivering, finished }

    struct State {
        var draining = false
        var phase = Phase.pulling
        var task: Task<Void, Never>?
        /// The delivery the app holds, and the loop waiting for its answer.
        var waiting: (id: UInt64, continuation: CheckedContinuation<Acknowledgement.Kind?, Never>)?
        /// Answers that came before `emit` returned their id (the ABI allows it).
        var early: [UInt64: Acknowledgement.Kind] = [:]
        var counts = Counts()
        var lastError: String?
        /// `drain`'s waits for the loop to leave `.delivering`, by id.
        var phaseWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    let client: PubSubClient
    let subscription: String
    let log: @Sendable (LogLevel, String) -> Void
    let state = Mutex(State())

    init(client: PubSubClient, subscription: String, log: @escaping @Sendable (LogLevel, String) -> Void) {
        self.client = client
        self.subscription = subscription
        self.log = log
    }

    var counts: Counts { state.withLock { $0.counts } }

    /// Starts the pull loop.
    func start(_ emit: @escaping Emit) {
        let task = Task { await self.run(emit) }
        state.withLock { $0.task = task }
    }

    /// The app's answer to delivery `id`; from any thread.
    func settle(_ id: UInt64, _ kind: Acknowledgement.Kind) {
        let continuation = state.withLock { state -> CheckedContinuation<Acknowledgement.Kind?, Never>? in
            guard let waiting = state.waiting, waiting.id == id else {
                state.early[id] = kind
                return nil
            }
            state.waiting = nil
            return waiting.continuation
        }
        continuation?.resume(returning: kind)
    }

    /// Stops handing messages to the app; waits (bounded) for the answer to the one it holds,
    /// then for the loop to settle it and hand the rest of its batch back. The caller then stops
    /// the client, which cuts a pull short; `finish` waits for the loop to end.
    func drain() async {
        state.withLock { $0.draining = true }
        await waitWhileDelivering(until: .now + PubSubInput.drainLimit)
        // An answer still missing: the loop stops waiting for it, and the message comes back
        // after its ack deadline.
        let abandoned = state.withLock { state in
            defer { state.waiting = nil }
            return state.waiting?.continuation
        }
        abandoned?.resume(returning: nil)
        await waitWhileDelivering(until: .now + PubSubInput.settleLimit)
    }

    /// Returns once the loop is not delivering (`enter` resumes the wait), or at `deadline`.
    private func waitWhileDelivering(until deadline: ContinuousClock.Instant) async {
        let id = state.withLock { state -> UInt64 in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        // Whoever removes the waiter resumes it: the phase change or this timer, once.
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            let waiter = self.state.withLock { $0.phaseWaiters.removeValue(forKey: id) }
            waiter?.resume()
        }
        await withCheckedContinuation { continuation in
            let waits = state.withLock { state -> Bool in
                guard state.phase == .delivering, ContinuousClock.now < deadline else { return false }
                state.phaseWaiters[id] = continuation
                return true
            }
            if !waits { continuation.resume() }
        }
        timer.cancel()
    }

    /// Moves the loop to `phase`; leaving `.delivering` ends `drain`'s waits.
    private func enter(_ phase: Phase) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.phase = phase
            guard phase != .delivering else { return [] }
            defer { state.phaseWaiters = [:] }
            return Array(state.phaseWaiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits for the loop to end (after `drain` and the client's stop).
    func finish() async {
        await state.withLock { $0.task }?.value
    }

    /// True once `drain` began (or the host refused an event as stopping).
    var isStopping: Bool { isDraining }

    var isDraining: Bool { state.withLock { $0.draining } }

    private func run(_ emit: @escaping Emit) async {
        defer { enter(.finished) }
        var pause = PubSubInput.retryPauses.first
        while !isDraining {
            let messages: [PubSubMessage]
            let pulled = ContinuousClock.now
            do {
                messages = try await client.pull(
                    subscription, limit: PubSubInput.batchSize, waitMilliseconds: PubSubInput.pullWaitMilliseconds)
            } catch {
                guard !isDraining else { return }
                report(error)
                await sleep(pause)
                pause = min(pause * 2, PubSubInput.retryPauses.last)
                continue
            }
            recovered()
            pause = PubSubInput.retryPauses.first
            // Pub/Sub holds an empty pull open; one that comes back empty at once (a proxy, a
            // server in trouble) must not turn the loop into a busy one.
            if messages.isEmpty, ContinuousClock.now - pulled < .seconds(1) { await sleep(.milliseconds(200)) }
            enter(.delivering)
            await deliver(messages, emit)
            enter(.pulling)
        }
    }

    /// Hands `messages` to the app one by one and settles each by the app's answer. A message's
    /// acknowledge (or nack) is sent while the next one goes to the app: the app's order is
    /// kept, and the batch ends, and the next pull starts, only once every settlement returned
    /// (measured with bench/gcp_pubsub.py: waiting for each acknowledge before the next delivery
    /// cost a third of the input rate).
    private func deliver(_ messages: [PubSubMessage], _ emit: @escaping Emit) async {
        guard !messages.isEmpty else { return }
        await withDiscardingTaskGroup { settlements in
            var nextExtension = ContinuousClock.now + PubSubInput.firstExtension
            for (index, message) in messages.enumerated() {
                if isDraining {
                    await hand(back: messages[index...])
                    return
                }
                let lease = keepLeased(messages[index...], from: nextExtension)
                let (answer, emitted) = await offer(message, emit)
                lease.cancel()
                nextExtension = await lease.value
                switch answer {
                case .ack?, .drop?:
                    settlements.addTask { await self.settle(message, .acknowledge) }
                case .retry?:
                    settlements.addTask { await self.settle(message, .release) }
                case nil:
                    // Not answered (input stopped first): a message the app had comes back after
                    // its ack deadline; one it never got, and those after it, are handed back at
                    // once.
                    await hand(back: messages[(emitted ? index + 1 : index)...])
                    return
                }
            }
        }
    }

    /// Emits `message` and waits for the app's answer: nil when input stopped first, with
    /// `emitted` false when the app never got the message (it can then be handed back at once).
    private func offer(_ message: PubSubMessage, _ emit: @escaping Emit) async -> (
        answer: Acknowledgement.Kind?, emitted: Bool
    ) {
        while true {
            switch emit(message.data, message.eventMetadata) {
            case .accepted(let id):
                state.withLock { $0.counts.emitted += 1 }
                let answer = await withCheckedContinuation { continuation in
                    let early = state.withLock { state -> Acknowledgement.Kind?? in
                        if let kind = state.early.removeValue(forKey: id) { return .some(kind) }
                        if state.draining { return .some(nil) }
                        state.waiting = (id, continuation)
                        return nil
                    }
                    if let early { continuation.resume(returning: early) }
                }
                return (answer, true)
            case .busy:
                // The host frees the credit of the previous event only after its ack returned,
                // on its own thread and with no callback: nothing to wait on but another try.
                guard !isDraining else { return (nil, false) }
                await sleep(.milliseconds(2))
            case .stopped:
                // The host no longer takes events (input is stopping): pull no more.
                state.withLock { $0.draining = true }
                return (nil, false)
            }
        }
    }

    /// Logs a failed pull once per distinct error, at error level.
    private func report(_ error: DriverError) {
        let isNew = state.withLock { state -> Bool in
            defer { state.lastError = error.message }
            return state.lastError != error.message
        }
        if isNew { log(.error, "cannot pull from subscription \"\(subscription)\": \(error.message); retrying") }
    }

    private func recovered() {
        let wasFailing = state.withLock { state -> Bool in
            defer { state.lastError = nil }
            return state.lastError != nil
        }
        if wasFailing { log(.info, "pulling from subscription \"\(subscription)\" again") }
    }

    /// Sleeps for `duration`, or until input stops (checked every 50 ms).
    private func sleep(_ duration: Duration) async {
        let end = ContinuousClock.now + duration
        while !isDraining, ContinuousClock.now < end {
            try? await Task.sleep(for: min(.milliseconds(50), end - ContinuousClock.now))
        }
    }
}
