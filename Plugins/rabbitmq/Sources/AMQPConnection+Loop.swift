import CRabbitMQ
import DriverKit
import Glibc
import SystemThreads

/// The connection's thread: everything here runs on it, and only here is librabbitmq called.
extension AMQPConnection {
    /// What one session's turn of the loop ended with.
    private enum Outcome {
        case stop
        case lost(String)
    }

    func run() {
        var epoch: UInt64 = 0
        var everConnected = false
        while true {
            epoch += 1
            switch AMQPSession.open(target, role: role, epoch: epoch) {
            case .success(let session):
                opened(recovered: everConnected)
                everConnected = true
                let openedAt = MonotonicClock.now()
                var confirms = ConfirmQueue()
                let outcome = serve(session, &confirms)
                for completion in confirms.removeAll() { completion(.failure(lostError(outcome))) }
                consumer?.connectionLost()
                guard case .lost(let reason) = outcome else {
                    session.close()
                    return
                }
                guard failed(reason, wasConnected: true) else { return }
                // Dapr reconnects at once after a recoverable close and waits before the next
                // tries; a session that failed within a second (a broker that accepts and then
                // closes at once) waits too, so the loop never spins.
                if MonotonicClock.now() - openedAt > 1_000_000_000 { continue }
            case .failure(let failure):
                guard failed(failure.description, wasConnected: false) else { return }
            }
            if waitWhileDown() { return }
        }
    }

    private func lostError(_ outcome: Outcome) -> DriverError {
        guard case .lost(let reason) = outcome else { return stoppingError }
        return DriverError(
            .unavailable,
            "\(component): connection to RabbitMQ at \(target.settings.address.redacted) lost before the broker "
                + "confirmed the message (\(reason)); it may or may not have been delivered", retryable: true)
    }

    /// Sleeps `reconnectWaitInSeconds`, answering work meanwhile. True when asked to stop.
    private func waitWhileDown() -> Bool {
        let deadline = MonotonicClock.after(milliseconds: UInt64(target.settings.reconnectWait.milliseconds))
        while true {
            let now = MonotonicClock.now()
            guard now < deadline else { return false }
            let (work, stopping) = thread.waitForWork(milliseconds: Int32(min((deadline - now) / 1_000_000 + 1, 1000)))
            for item in work {
                switch item {
                case .publish(_, _, let completion): completion(.failure(notConnected(status())))
                case .settle(let id, let kind): _ = consumer?.settle(id, kind, on: nil)
                }
            }
            if stopping { return true }
        }
    }

    private func status() -> String? { phase == .down ? "reconnecting" : nil }

    /// Serves one open session until it fails or the connection stops.
    private func serve(_ session: AMQPSession, _ confirms: inout ConfirmQueue) -> Outcome {
        var assembly: Delivery.Assembly?
        let wake = thread.wakeDescriptor
        while true {
            let (work, stopping) = thread.takeWork()
            for item in work {
                if let reason = perform(item, session, &confirms) { return .lost(reason) }
            }
            if stopping { return .stop }
            var frames = 0
            while frames < 256 {
                switch session.nextFrame() {
                case .failure(let failure): return .lost(failure.description)
                case .success(nil): frames = .max
                case .success(let frame?):
                    frames += 1
                    if let reason = handle(frame, session, &confirms, &assembly) { return .lost(reason) }
                    session.releaseBuffers()
                }
            }
            if let consumer, consumer.isBlocked { consumer.pump(session) }
            for completion in confirms.expire(now: MonotonicClock.now()) {
                completion(
                    .failure(
                        DriverError(
                            .timeout,
                            "\(component): no confirm from RabbitMQ at \(target.settings.address.redacted) before the "
                                + "deadline; the message may still be delivered", retryable: true)))
            }
            if frames == .max, !session.hasBufferedInput {
                let timeout: Int32 = consumer?.isBlocked == true ? 50 : 1000
                var fds = [
                    pollfd(fd: session.descriptor, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
                ]
                _ = poll(&fds, 2, timeout)
            }
        }
    }

    /// Runs one queued work item; returns why the session failed, if it did.
    private func perform(_ item: Work, _ session: AMQPSession, _ confirms: inout ConfirmQueue) -> String? {
        switch item {
        case .publish(let publication, let deadline, let completion):
            switch session.publish(publication, queue: target.settings.queueName) {
            case .success(let sequence):
                confirms.append(sequence, deadline: deadline, completion)
                return nil
            case .failure(let failure):
                completion(.failure(notConnected(failure.description)))
                return failure.description
            }
        case .settle(let id, let kind):
            guard let consumer, !consumer.settle(id, kind, on: session) else { return nil }
            return "cannot acknowledge a delivery"
        }
    }
}
