import DriverKit
import Synchronization

/// The input side of a consumer connection: hands each delivery to the app and settles it with
/// the broker once the app has answered (basic.ack after a 2xx, basic.nack with requeue after
/// a failure, as Dapr).
///
/// All its methods run on the connection's thread (deliveries arrive there, and the app's
/// answers are queued to it as work), so its state needs no lock; only `counts` is read from
/// other threads. At most `window` events are in the app's hands at once: 1 (Dapr's one at a
/// time, in queue order) unless prefetchCount allows more.
///
/// An answer that comes after the connection it was received on is gone cannot be sent (the
/// delivery tag belonged to that connection): the broker delivers the message again, marked
/// redelivered. For an answered success the driver keeps the message's fingerprint and
/// acknowledges that redelivery without handing it to the app again (Dapr delivers it twice).
///
/// `@unchecked Sendable`: created on a host thread, then used only on the connection's thread,
/// except `counts` (behind a Mutex) and `attach` (before the thread starts).
final class Consumer: @unchecked Sendable {
    typealias Emit = @Sendable (_ data: [UInt8], _ metadata: [String: String]) -> EventSink.Outcome

    struct Counts: Sendable, Equatable {
        var emitted = 0
        var acknowledged = 0
        var requeued = 0
        /// Redeliveries of messages the app already answered with success, acknowledged silently.
        var suppressed = 0
    }

    private struct InFlight {
        var epoch: UInt64
        var delivery: Delivery
    }

    private var emit: Emit?
    private let window: Int
    private var waiting: [Delivery] = []
    private var inFlight: [UInt64: InFlight] = [:]
    private var answeredAfterLoss = Set<Delivery.Fingerprint>()
    private var answeredOrder: [Delivery.Fingerprint] = []
    private(set) var isBlocked = false
    /// What other threads read or set: the counts, how many events the app holds, and whether
    /// the input is draining (stop: no new event, answers still settled).
    private let shared = Mutex((counts: Counts(), inFlight: 0, draining: false))
    private let log: @Sendable (LogLevel, String) -> Void

    init(window: Int, log: @escaping @Sendable (LogLevel, String) -> Void) {
        self.window = max(1, window)
        self.log = log
    }

    var counts: Counts { shared.withLock { $0.counts } }

    /// Events handed to the app and not answered yet.
    var inFlightCount: Int { shared.withLock { $0.inFlight } }

    /// Stops handing messages to the app; answers to those it holds are still settled.
    func drain() { shared.withLock { $0.draining = true } }

    func attach(_ emit: @escaping Emit) { self.emit = emit }

    /// A delivery arrived on `session`.
    func received(_ delivery: Delivery, on session: AMQPSession) {
        if delivery.redelivered, !answeredAfterLoss.isEmpty, answeredAfterLoss.remove(delivery.fingerprint) != nil {
            answeredOrder.removeAll { $0 == delivery.fingerprint }
            shared.withLock { $0.counts.suppressed += 1 }
            log(.debug, "delivery \(delivery.tag) was already answered by the app; acknowledging the redelivery")
            _ = session.ack(delivery.tag)
            return
        }
        waiting.append(delivery)
        pump(session)
    }

    /// Hands waiting deliveries to the app while the window and the host allow.
    func pump(_ session: AMQPSession) {
        isBlocked = false
        guard let emit, !shared.withLock({ $0.draining }) else { return }
        while !waiting.isEmpty, inFlight.count < window {
            let delivery = waiting[0]
            switch emit(delivery.body, delivery.metadata) {
            case .accepted(let id):
                waiting.removeFirst()
                inFlight[id] = InFlight(epoch: session.epoch, delivery: delivery)
                shared.withLock {
                    $0.counts.emitted += 1
                    $0.inFlight = inFlight.count
                }
            case .busy:
                isBlocked = true
                return
            case .stopped:
                return
            }
        }
    }

    /// The app answered event `id`; `session` is the live connection, if any. Returns false when
    /// the answer could not be written (the connection failed).
    func settle(_ id: UInt64, _ kind: Acknowledgement.Kind, on session: AMQPSession?) -> Bool {
        guard let entry = inFlight.removeValue(forKey: id) else { return true }
        shared.withLock { $0.inFlight = inFlight.count }
        guard let session, session.epoch == entry.epoch else {
            if kind != .retry { remember(entry.delivery.fingerprint) }
            return true
        }
        let status: Int32
        switch kind {
        case .ack:
            status = session.ack(entry.delivery.tag)
            shared.withLock { $0.counts.acknowledged += 1 }
        case .retry:
            status = session.nack(entry.delivery.tag, requeue: true)
            shared.withLock { $0.counts.requeued += 1 }
        case .drop:
            status = session.nack(entry.delivery.tag, requeue: false)
        }
        if status == 0 { pump(session) }
        return status == 0
    }

    /// The connection is gone: deliveries not yet handed to the app go back to the broker with it.
    func connectionLost() {
        waiting.removeAll()
        isBlocked = false
    }

    private func remember(_ fingerprint: Delivery.Fingerprint) {
        guard answeredAfterLoss.insert(fingerprint).inserted else { return }
        answeredOrder.append(fingerprint)
        if answeredOrder.count > 4096 { answeredAfterLoss.remove(answeredOrder.removeFirst()) }
    }
}
