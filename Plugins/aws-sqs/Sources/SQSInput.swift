import DriverKit
import Synchronization

/// The input side: long-polls the queue and hands each message to the app, one at a time in
/// the order SQS returned them (as Dapr), deleting a message only after the app's 2xx.
///
/// What happens to a message, and how it differs from Dapr's binding:
/// - The app answers 2xx: DeleteMessage (as Dapr). A delete that fails leaves the message to
///   come back when its visibility timeout ends: delivered twice, never lost (counted).
/// - The app fails (a nack): ChangeMessageVisibility to `nackDelay`: 0 the first time SQS
///   handed the message out, so it comes again at once, then 1 s doubling with each receive up
///   to the queue's visibility timeout, so a message the app always fails does not spin. Dapr
///   leaves it invisible for the rest of the visibility timeout (30 s by default). A queue's
///   redrive policy still applies: every receive counts.
/// - While the app holds a message, its visibility timeout is extended every half timeout,
///   counted from its receive (ChangeMessageVisibility), so a slow app does not see it handed
///   to another consumer (a replica, the next generation during a swap) and get it twice. Dapr
///   has no such heartbeat.
/// - Up to 10 messages come per receive (Dapr asks for 1); those not yet handed to the app are
///   made visible again at once when input stops, or when the batch has waited for half the
///   visibility timeout (at most `heldBatchLimit`), so they are not kept past it either.
/// - Input stops: nothing new goes to the app; the answer to the message the app holds is
///   awaited (up to `drainLimit`) and settled, then the long poll is cut short.
///
/// The loop runs as one task; the app's answers arrive on host threads through `settle`.
final class SQSInput: Sendable {
    typealias Emit = @Sendable (_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome

    struct Counts: Sendable, Equatable {
        /// Messages handed to the app (a redelivery counts again).
        var emitted = 0
        /// Messages deleted after the app's 2xx.
        var deleted = 0
        /// Messages made visible again after the app failed them.
        var released = 0
        /// Messages received but not handed to the app (input stopping, batch held too long),
        /// made visible again.
        var returned = 0
        /// Deletes or visibility changes that failed (the message comes back after its
        /// visibility timeout).
        var settleFailures = 0
        /// Visibility timeouts extended while the app held a message.
        var extended = 0
    }

    /// ReceiveMessage's long poll, as Dapr's (the longest SQS allows).
    static let waitSeconds = 20
    static let batchSize = 10
    /// How long messages of one receive may wait for their turn before they are handed back,
    /// at most (half the queue's visibility timeout when that is shorter).
    static let heldBatchLimit: Duration = .seconds(10)
    /// The visibility timeout assumed when GetQueueAttributes fails (SQS's default).
    static let defaultVisibilitySeconds = 30
    /// How long stop waits for the app's answer to the message it holds.
    static let drainLimit: Duration = .seconds(4)
    /// How long stop waits, after the app's answer, for it to be settled and the rest of the
    /// batch handed back.
    static let settleLimit: Duration = .seconds(5)
    /// Pause after a failed receive: doubles from the first to the last.
    static let retryPauses: (first: Duration, last: Duration) = (.milliseconds(100), .seconds(5))

    /// What the loop is doing: stop waits while it talks to the app or settles messages, and
    /// cuts a receive or a pause short.
    enum Phase { case receiving, delivering, finished }

    struct State {
        var draining = false
        var phase = Phase.receiving
        var task: Task<Void, Never>?
        /// The delivery the app holds, and the loop waiting for its answer.
        var waiting: (id: UInt64, continuation: CheckedContinuation<Acknowledgement.Kind?, Never>)?
        /// Answers that came before `emit` returned their id (the ABI allows it).
        var early: [UInt64: Acknowledgement.Kind] = [:]
        var counts = Counts()
        var lastError: String?
        /// `drain`'s waits for the loop to leave `.delivering`, resumed by `enter` (or their
        /// deadline), by id.
        var phaseWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    let queue: SQSQueue
    let log: @Sendable (LogLevel, String) -> Void
    let state = Mutex(State())

    init(queue: SQSQueue, log: @escaping @Sendable (LogLevel, String) -> Void) {
        self.queue = queue
        self.log = log
    }

    var counts: Counts { state.withLock { $0.counts } }

    /// Starts the polling loop.
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
    /// then for the loop to settle it. The caller then stops the client, which cuts a long poll
    /// short; `finish` waits for the loop to end.
    func drain() async {
        state.withLock { $0.draining = true }
        await waitWhileDelivering(until: .now + SQSInput.drainLimit)
        // An answer still missing: the loop stops waiting for it, and the message comes back
        // after its visibility timeout.
        let abandoned = state.withLock { state in
            defer { state.waiting = nil }
            return state.waiting?.continuation
        }
        abandoned?.resume(returning: nil)
        // Then the settling of the message it held and the hand-back of the rest of its batch
        // (two requests), before the client stops: bounded, and given a loaded machine's time.
        await waitWhileDelivering(until: .now + SQSInput.settleLimit)
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

    private var isDraining: Bool { state.withLock { $0.draining } }

    private func run(_ emit: @escaping Emit) async {
        defer { enter(.finished) }
        var pause = SQSInput.retryPauses.first
        while !isDraining {
            let messages: [SQSMessage]
            do {
                messages = try await queue.receive(limit: SQSInput.batchSize, waitSeconds: SQSInput.waitSeconds)
            } catch {
                guard !isDraining else { return }
                report(error)
                await sleep(pause)
                pause = min(pause * 2, SQSInput.retryPauses.last)
                continue
            }
            recovered()
            pause = SQSInput.retryPauses.first
            enter(.delivering)
            await deliver(messages, emit)
            enter(.receiving)
        }
    }

    /// Hands `messages` to the app one by one and settles each by the app's answer.
    private func deliver(_ messages: [SQSMessage], _ emit: @escaping Emit) async {
        guard !messages.isEmpty else { return }
        let received = ContinuousClock.now
        let visibility = await visibilitySeconds()
        let holdLimit = min(SQSInput.heldBatchLimit, .milliseconds(visibility * 500))
        for (index, message) in messages.enumerated() {
            if isDraining || (index > 0 && ContinuousClock.now - received > holdLimit) {
                await hand(back: messages[index...])
                return
            }
            let heartbeat = keepInvisible(message, received: received, seconds: visibility)
            let (answer, emitted) = await offer(message, emit)
            heartbeat.cancel()
            await heartbeat.value
            switch answer {
            case .ack?, .drop?:
                await settle(message, .delete)
            case .retry?:
                let delay = SQSInput.nackDelay(receiveCount: message.receiveCount, visibilitySeconds: visibility)
                await settle(message, .release(afterSeconds: delay))
            case nil:
                // Not answered (input stopped first): a message the app had comes back after its
                // visibility timeout; one it never got, and those after it, are handed back at
                // once.
                await hand(back: messages[(emitted ? index + 1 : index)...])
                return
            }
        }
    }

    /// Emits `message` and waits for the app's answer: nil when input stopped first, with
    /// `emitted` false when the app never got the message (it can then be handed back at once).
    private func offer(_ message: SQSMessage, _ emit: @escaping Emit) async -> (
        answer: Acknowledgement.Kind?, emitted: Bool
    ) {
        while true {
            switch emit(Array(message.body.utf8), [:]) {
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
                // The host no longer takes events (input is stopping): receive no more.
                state.withLock { $0.draining = true }
                return (nil, false)
            }
        }
    }

    /// Logs a failed receive once per distinct error, at error level.
    private func report(_ error: DriverError) {
        let isNew = state.withLock { state -> Bool in
            defer { state.lastError = error.message }
            return state.lastError != error.message
        }
        if isNew { log(.error, "cannot receive from queue \"\(queue.name)\": \(error.message); retrying") }
    }

    private func recovered() {
        let wasFailing = state.withLock { state -> Bool in
            defer { state.lastError = nil }
            return state.lastError != nil
        }
        if wasFailing { log(.info, "receiving from queue \"\(queue.name)\" again") }
    }

    /// Sleeps for `duration`, or until input stops (checked every 50 ms).
    private func sleep(_ duration: Duration) async {
        let end = ContinuousClock.now + duration
        while !isDraining, ContinuousClock.now < end {
            try? await Task.sleep(for: min(.milliseconds(50), end - ContinuousClock.now))
        }
    }
}
