import BinderyCore
import BinderySystem

/// Delivers input events to the app through its `AppChannel` (HTTP: `POST /<route>` with the
/// event's bytes and its metadata as headers; gRPC: `AppCallback/OnBindingEvent`): an answer
/// that takes the event (2xx, status OK) acks it to the driver that emitted it, anything else
/// nacks it with daprd's error text (the driver decides about redelivery, as in Dapr).
///
/// Every event is counted per component in `counters` (delivered, failed, in flight), and every
/// failure is logged: at debug level with its event id, at WARN through a `FailureLog` (daprd
/// logs them at debug level only, so an app that is down loses events unseen).
package final class Delivery: Sendable {
    package let channel: any AppChannel
    private let pool: WorkerPool
    private let counters: DeliveryCounters
    private let failures: FailureLog

    /// `maxConcurrency` is `--app-max-concurrency` (≤ 0: unlimited, served by up to 64 threads);
    /// failures are written at WARN at most once per component per `failureLogInterval`.
    package init(
        channel: any AppChannel, maxConcurrency: Int, counters: DeliveryCounters = DeliveryCounters(),
        failureLogInterval: Duration = .seconds(10)
    ) {
        self.channel = channel
        self.pool = WorkerPool(name: "delivery", limit: maxConcurrency > 0 ? maxConcurrency : 64)
        self.counters = counters
        self.failures = FailureLog(interval: failureLogInterval) { component, line in
            Log.warn(line, scope: component)
        }
    }

    /// Queues one event; its ack goes to `instance`, the generation that emitted it.
    package func deliver(_ event: InputEvent, route: String, component: String, from instance: any DriverInstance) {
        let (channel, counters, failures) = (self.channel, self.counters, self.failures)
        counters.started(component)
        pool.submit {
            let answer = channel.deliver(
                event, binding: component, route: route, warn: { Log.warn($0, scope: component) })
            if case .accepted(let response) = answer {
                counters.finished(component, delivered: true)
                failures.succeeded(component)
                instance.acknowledge(event.deliveryID, Acknowledgement(.ack, response: response))
                return
            }
            let nack = Self.nack(answer)
            let target = channel.describe(binding: component, route: route)
            counters.finished(component, delivered: false)
            Log.write(.debug, "event \(event.deliveryID) to \(target): \(nack.error ?? "")", scope: component)
            failures.failed(component, reason: "\(target): \(nack.error ?? "")")
            instance.acknowledge(event.deliveryID, nack)
        }
    }

    /// The nack for an answer that did not take the event, with daprd's error texts.
    static func nack(_ answer: AppAnswer) -> Acknowledgement {
        switch answer {
        case .accepted(let response):
            return Acknowledgement(.ack, response: response)
        case .refused(let response, let error):
            return Acknowledgement(.retry, response: response, error: error)
        case .failed(let reason):
            return Acknowledgement(.retry, error: "error invoking app: \(reason)")
        }
    }

    /// Asks the app whether it serves `component`'s binding (the channel judges the answer).
    /// Unlike daprd, an app that does not answer yet (refused connection, timeout, a 5xx or
    /// gRPC error) is asked again with backoff instead of being taken as not subscribed.
    func probe(_ route: String, component: String, isCancelled: @Sendable () -> Bool) async -> Bool {
        var pause = Duration.milliseconds(100)
        let channel = self.channel
        while !isCancelled() {
            switch await onPool({ channel.probe(binding: component, route: route) }) {
            case .subscribed:
                return true
            case .notSubscribed(let reason):
                Log.info("app has not subscribed to binding \(component) (\(reason))", scope: component)
                return false
            case .unavailable(let reason):
                Log.warn("\(reason); retrying in \(pause)", scope: component)
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
        return false
    }

    /// Starts input on `generation`, once: probes the component's route unless its directions
    /// name input explicitly (daprd's rule), then starts the driver's input delivering here.
    package func startInput(_ generation: Generation, maxUnacked: Int, isCancelled: @escaping @Sendable () -> Bool)
        async
    {
        guard let input = generation.input, !generation.inputStarted.exchange(true, ordering: .acquiringAndReleasing)
        else { return }
        let component = generation.component
        let route = component.route ?? "/\(component.name)"
        let explicit = component.directions?.contains("input") ?? false
        let cancelled: @Sendable () -> Bool = { isCancelled() || generation.inputStopping.load(ordering: .acquiring) }
        if !explicit {
            guard await probe(route, component: component.name, isCancelled: cancelled) else { return }
        }
        guard !cancelled() else { return }
        do {
            try await input.startInput(maxUnacked: maxUnacked) { event in
                self.deliver(event, route: route, component: component.name, from: input)
            }
            let target = channel.describe(binding: component.name, route: route)
            Log.info("input \(component.name) delivering to \(target)", scope: component.name)
        } catch {
            Log.error("input \(component.name) failed to start: \(error.description)", scope: component.name)
        }
    }

    /// Runs blocking work on the delivery threads and awaits its result.
    func onPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            pool.submit { continuation.resume(returning: work()) }
        }
    }
}
