import BinderySystem
import Synchronization

/// One generation of one component: the driver instances serving it, and the requests and
/// events in flight on them. A request is admitted to exactly one generation and releases it
/// when it completes, so a generation being replaced drains before it is stopped.
package final class Generation: Sendable {
    package let number: UInt64
    package let component: Component
    package let driver: AvailableDriver
    /// Dapr creates separate instances per direction; so does bindery.
    package let output: (any DriverInstance)?
    package let input: (any DriverInstance)?
    private let state = Mutex(Admission())

    private struct Admission {
        var inFlight = 0
        package var closed = false
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    package init(
        number: UInt64, component: Component, driver: AvailableDriver, output: (any DriverInstance)?,
        input: (any DriverInstance)?
    ) {
        self.number = number
        self.component = component
        self.driver = driver
        self.descriptor = driver.descriptor
        self.output = output
        self.input = input
    }

    /// The driver's descriptor, copied once: each request reads its operations, and through the
    /// endpoint's protocol every read would copy the whole descriptor.
    package let descriptor: DriverDescriptor

    /// Takes a reference for one request; false once the generation is closed.
    func admit() -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.inFlight += 1
            return true
        }
    }

    /// Releases a reference taken by `admit`.
    package func release() {
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
    package let inputStarted = Atomic<Bool>(false)
    /// Set before input is stopped: an input start still probing the app gives up instead of
    /// calling start_input on a stopped instance.
    package let inputStopping = Atomic<Bool>(false)

    /// Stops input (once it is stopping, no start begins).
    func stopInput(timeout: Duration = .seconds(5)) async {
        guard let input else { return }
        inputStopping.store(true, ordering: .releasing)
        await input.stop(timeout: timeout)
    }

    /// Stops and destroys every instance (input first, so no event arrives during shutdown).
    package func shutDown(
        timeout: Duration = .seconds(5), drainLimit: Duration = .seconds(30), inputAlreadyStopped: Bool = false
    ) async {
        if let input {
            if !inputAlreadyStopped { await stopInput(timeout: timeout) }
            await input.waitForAcknowledgements()  // acks must reach the driver before destroy
        }
        // A driver that never completes a request must not hold shutdown forever: after
        // `drainLimit` its stop() cancels what is left (the ABI makes stop complete every call).
        let drained = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let resumed = Mutex(false)
            let finish: @Sendable (Bool) -> Void = { value in
                if !resumed.withLock({
                    let was = $0
                    $0 = true
                    return was
                }) {
                    continuation.resume(returning: value)
                }
            }
            Task {
                await self.closeAndDrain()
                finish(true)
            }
            Task {
                try? await Task.sleep(for: drainLimit)
                finish(false)
            }
        }
        if !drained {
            Log.warn(
                "\(inFlight) requests still in flight after \(drainLimit); stopping generation \(number) anyway",
                scope: component.name)
        }
        if let output { await output.stop(timeout: timeout) }
        input?.destroy()
        output?.destroy()
    }
}
