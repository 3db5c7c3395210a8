import BinderyCore
import BinderySystem

/// Delivers input events to the app: `POST /<route>` with the event's bytes, its metadata as
/// headers; a 2xx acks the event to the driver that emitted it, anything else nacks it with the
/// status and body (the driver decides about redelivery, as in Dapr).
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
            let answer = channel.deliver(event, route: route, warn: { Log.warn($0, scope: component) })
            if case .answered(let status, let body) = answer, (200..<300).contains(status) {
                counters.finished(component, delivered: true)
                failures.succeeded(component)
                instance.acknowledge(event.deliveryID, Acknowledgement(.ack, response: body))
                return
            }
            let nack = Self.nack(answer)
            counters.finished(component, delivered: false)
            Log.write(.debug, "event \(event.deliveryID) to POST \(route): \(nack.error ?? "")", scope: component)
            failures.failed(component, reason: "POST \(route): \(nack.error ?? "")")
            instance.acknowledge(event.deliveryID, nack)
        }
    }

    /// The nack for an answer that is not a 2xx, with daprd's error texts.
    static func nack(_ answer: AppAnswer) -> Acknowledgement {
        switch answer {
        case .answered(let status, let body):
            let text =
                "fails to send binding event to http app channel, status code: \(status) body: \(String(decoding: body, as: UTF8.self))"
            return Acknowledgement(.retry, response: body, error: text)
        case .failed(let reason):
            return Acknowledgement(.retry, error: "error invoking app: \(reason)")
        }
    }

    /// Asks the app whether it serves `route`: 2xx or 405 means subscribed (Dapr's rule); 404
    /// and other 4xx mean not subscribed. Unlike daprd, a refused connection, a timeout or a 5xx
    /// (an app still starting) is retried with backoff instead of giving up.
    func probe(_ route: String, component: String, isCancelled: @Sendable () -> Bool) async -> Bool {
        var pause = Duration.milliseconds(100)
        let channel = self.channel
        while !isCancelled() {
            let outcome = await onPool { channel.probe(route) }
            switch outcome {
            case .answered(let status, _) where (200..<300).contains(status) || status == 405:
                return true
            case .answered(let status, _) where status < 500:
                Log.info(
                    "app has not subscribed to binding \(component) (OPTIONS \(route) answered \(status))",
                    scope: component)
                return false
            case .answered(let status, _):
                Log.warn("OPTIONS \(route) answered \(status); retrying in \(pause)", scope: component)
            case .failed(let reason):
                Log.warn("could not invoke OPTIONS \(route): \(reason); retrying in \(pause)", scope: component)
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
            Log.info("input \(component.name) delivering to POST \(route)", scope: component.name)
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
