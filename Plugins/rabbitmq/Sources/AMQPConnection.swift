import DriverKit
import Glibc
import Synchronization
import SystemThreads

/// One AMQP connection (publisher or consumer) kept open by its own thread.
///
/// The thread opens a session (AMQPSession), then loops: it runs queued work (publishes from
/// `invoke`, the app's answers to deliveries), reads every frame that has arrived (confirms,
/// deliveries), and sleeps in poll(2) on the socket and the wake pipe. When the connection is
/// lost (broker restart, heartbeat timeout, a close from the broker) it fails the publishes
/// still waiting for their confirm, tries again at once, then every `reconnectWaitInSeconds`,
/// as Dapr's binding does. While it is down, publishes fail at once (fail fast).
final class AMQPConnection: Sendable {
    typealias Completion = ConfirmQueue.Completion

    enum Work: Sendable {
        case publish(Publication, deadline: UInt64, Completion)
        case settle(UInt64, Acknowledgement.Kind)
    }

    enum Phase: Equatable, Sendable { case idle, connecting, connected, down, stopping, stopped }

    private struct Status {
        var phase = Phase.idle
        var lastError: String?
        var startWaiter: CheckedContinuation<Void, any Error>?
    }

    let component: String
    let target: AMQPSession.Target
    let role: AMQPSession.Role
    let consumer: Consumer?
    let log: @Sendable (LogLevel, String) -> Void
    private let status = Mutex(Status())
    let thread = DedicatedThread<Work>(name: "bindings.rabbitmq connection thread")

    init(
        component: String, target: AMQPSession.Target, role: AMQPSession.Role, consumer: Consumer?,
        log: @escaping @Sendable (LogLevel, String) -> Void
    ) {
        self.component = component
        self.target = target
        self.role = role
        self.consumer = consumer
        self.log = log
    }

    var phase: Phase { status.withLock { $0.phase } }

    /// Starts the thread and returns once the first session is open; throws why it could not.
    func start() async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            let failure: DriverError? = status.withLock { status in
                guard status.phase == .idle else {
                    return DriverError(.invalidArgument, "\(component): bindings.rabbitmq already started")
                }
                do { try thread.start { [self] in run() } } catch {
                    return DriverError(.unavailable, "\(component): \(error)")
                }
                status.phase = .connecting
                status.startWaiter = waiter
                return nil
            }
            if let failure { waiter.resume(throwing: failure) }
        }
    }

    /// Queues a publish; `completion` runs once the broker confirmed it, or with the failure.
    /// Fails at once while the connection is down.
    func publish(_ publication: Publication, deadline: UInt64, _ completion: @escaping Completion) {
        let (phase, lastError) = status.withLock { ($0.phase, $0.lastError) }
        guard phase == .connected else {
            completion(.failure(phase == .stopping || phase == .stopped ? stoppingError : notConnected(lastError)))
            return
        }
        if thread.submit(.publish(publication, deadline: deadline, completion)) != nil {
            completion(.failure(stoppingError))
        }
    }

    /// The app's answer to event `id` (any thread; never blocks).
    func settle(_ id: UInt64, _ kind: Acknowledgement.Kind) { _ = thread.submit(.settle(id, kind)) }

    /// How long `stop` waits for the app to answer the events it holds (the host stops input,
    /// then passes the app's answers on; its own wait for stop is 5 s).
    static let drainMilliseconds: UInt64 = 4_000

    /// Closes the connection (after running the work queued so far) and joins the thread.
    ///
    /// A consumer first drains: it hands nothing new to the app and waits up to 4 s for the
    /// answers to what the app holds, so those are acknowledged (or requeued) before the
    /// connection closes. Without it, a message answered 2xx just after stop would go back to
    /// the queue and reach the app again through another consumer. Messages not yet handed to
    /// the app go back to the queue when the connection closes.
    func stop() async {
        if let consumer, phase == .connected {
            consumer.drain()
            let deadline = MonotonicClock.after(milliseconds: AMQPConnection.drainMilliseconds)
            while consumer.inFlightCount > 0, phase == .connected, MonotonicClock.now() < deadline {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        status.withLock { if $0.phase != .stopped { $0.phase = .stopping } }
        await thread.stop()
        status.withLock { $0.phase = .stopped }
        target.tls?.remove()
    }

    var stoppingError: DriverError { DriverError(.cancelled, "\(component): the component is stopping") }

    /// Dapr's words ("channel/connection is not open"), then where and why.
    func notConnected(_ reason: String?) -> DriverError {
        DriverError(
            .unavailable,
            "\(component): failed to publish message: channel/connection is not open: not connected to RabbitMQ at "
                + target.settings.address.redacted + (reason.map { " (\($0))" } ?? "")
                + "; reconnecting every \(target.settings.reconnectWait)", retryable: true)
    }

    // MARK: - Reported by the thread

    func opened(recovered: Bool) {
        let waiter = status.withLock { status -> CheckedContinuation<Void, any Error>? in
            if status.phase != .stopping { status.phase = .connected }
            status.lastError = nil
            defer { status.startWaiter = nil }
            return status.startWaiter
        }
        waiter?.resume()
        if recovered { log(.info, "\(component): connected to \(target.settings.address.redacted) again") }
    }

    /// The session failed or could not open. Returns false when this was the first attempt
    /// (start fails, and the thread ends).
    func failed(_ reason: String, wasConnected: Bool) -> Bool {
        let waiter = status.withLock { status -> CheckedContinuation<Void, any Error>? in
            status.lastError = reason
            if status.phase != .stopping { status.phase = .down }
            defer { status.startWaiter = nil }
            return status.startWaiter
        }
        if let waiter {
            waiter.resume(
                throwing: DriverError(
                    .unavailable,
                    "\(component): cannot connect to RabbitMQ at \(target.settings.address.redacted): \(reason)",
                    retryable: true))
            return false
        }
        if wasConnected {
            log(.warn, "\(component): connection to \(target.settings.address.redacted) lost (\(reason)); reconnecting")
        }
        return true
    }
}
