import BinderyCore
import BinderySystem

/// Delivers input events to the app: `POST /<route>` with the event's bytes, its metadata as
/// headers; a 2xx acks the event to the driver that emitted it, anything else nacks it with the
/// status and body (the driver decides about redelivery, as in Dapr).
package final class Delivery: Sendable {
    package let channel: any AppChannel
    private let pool: WorkerPool

    /// `maxConcurrency` is `--app-max-concurrency` (≤ 0: unlimited, served by up to 64 threads).
    package init(channel: any AppChannel, maxConcurrency: Int) {
        self.channel = channel
        self.pool = WorkerPool(name: "delivery", limit: maxConcurrency > 0 ? maxConcurrency : 64)
    }

    /// Queues one event; its ack goes to `instance`, the generation that emitted it.
    package func deliver(_ event: InputEvent, route: String, component: String, from instance: any DriverInstance) {
        let channel = self.channel
        pool.submit {
            switch channel.deliver(event, route: route, warn: { Log.warn($0, scope: component) }) {
            case .answered(let status, let body) where (200..<300).contains(status):
                instance.acknowledge(event.deliveryID, Acknowledgement(.ack, response: body))
            case .answered(let status, let body):
                let text =
                    "fails to send binding event to http app channel, status code: \(status) body: \(String(decoding: body, as: UTF8.self))"
                Log.write(.debug, "event \(event.deliveryID): \(text)", scope: component)
                instance.acknowledge(event.deliveryID, Acknowledgement(.retry, response: body, error: text))
            case .failed(let reason):
                Log.write(.debug, "event \(event.deliveryID): error invoking app: \(reason)", scope: component)
                instance.acknowledge(event.deliveryID, Acknowledgement(.retry, error: "error invoking app: \(reason)"))
            }
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
