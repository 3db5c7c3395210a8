import PluginABI
import Synchronization

/// One generation of one component: the driver instances serving it, and the requests and
/// events in flight on them. A request is admitted to exactly one generation and releases it
/// when it completes, so a generation being replaced drains before it is stopped.
final class Generation: Sendable {
    let number: UInt64
    let component: Component
    let driver: LoadedDriver
    /// Dapr creates separate instances per direction; so does bindery.
    let output: DriverInstance?
    let input: DriverInstance?
    private let state = Mutex(Admission())

    private struct Admission {
        var inFlight = 0
        var closed = false
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    init(number: UInt64, component: Component, driver: LoadedDriver, output: DriverInstance?, input: DriverInstance?) {
        self.number = number
        self.component = component
        self.driver = driver
        self.output = output
        self.input = input
    }

    var descriptor: DriverDescriptor { driver.descriptor }

    /// Takes a reference for one request; false once the generation is closed.
    func admit() -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.inFlight += 1
            return true
        }
    }

    /// Releases a reference taken by `admit`.
    func release() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.inFlight -= 1
            guard state.closed, state.inFlight == 0 else { return [] }
            defer { state.drained = [] }
            return state.drained
        }
        for waiter in waiters { waiter.resume() }
    }

    var inFlight: Int { state.withLock { $0.inFlight } }

    /// Refuses new requests and waits until those in flight have completed.
    func closeAndDrain() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                state.closed = true
                if state.inFlight == 0 { return true }
                state.drained.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Set by whoever starts input on this generation, so it starts once.
    let inputStarted = Atomic<Bool>(false)

    /// Stops and destroys every instance (input first, so no event arrives during shutdown).
    func shutDown(timeout: Duration = .seconds(5), drainLimit: Duration = .seconds(30), inputAlreadyStopped: Bool = false) async {
        if let input {
            if !inputAlreadyStopped { await input.stop(timeout: timeout) }
            await input.waitForAcknowledgements()  // acks must reach the driver before destroy
        }
        // A driver that never completes a request must not hold shutdown forever: after
        // `drainLimit` its stop() cancels what is left (the ABI makes stop complete every call).
        let drained = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let resumed = Mutex(false)
            let finish: @Sendable (Bool) -> Void = { value in
                if !resumed.withLock({ let was = $0; $0 = true; return was }) { continuation.resume(returning: value) }
            }
            Task { await self.closeAndDrain(); finish(true) }
            Task { try? await Task.sleep(for: drainLimit); finish(false) }
        }
        if !drained {
            Log.warn("\(inFlight) requests still in flight after \(drainLimit); stopping generation \(number) anyway", scope: component.name)
        }
        if let output { await output.stop(timeout: timeout) }
        input?.destroy()
        output?.destroy()
    }
}
