import BinderyCore
import BinderySystem
import PluginABI
import Synchronization

/// One instance of a driver serving one generation of a component, behind the C ABI.
///
/// Every text the driver gives (errors of each call, log lines) passes through the spec's
/// `Redactor` as it is copied out, so the component's secrets reach no log, message or answer.
///
/// `invoke` and `acknowledge` may run concurrently; `start`, `startInput`, `stop` and `destroy`
/// are called one at a time by the owner (the ABI requires it), `destroy` last.
package final class InProcessInstance: DriverInstance {
    package let image: DriverImage
    package let spec: ComponentSpec
    let contextID: UInt64
    /// The driver's `bd_instance*`: valid from create until `destroy`, which runs once, after
    /// every call completed; the driver makes its functions thread-safe per the ABI.
    nonisolated(unsafe) private let instance: OpaquePointer?
    private let input = Mutex(InputState())
    private let destroyed = Atomic<Bool>(false)

    private struct InputState {
        package var deliver: (@Sendable (InputEvent) -> Void)?
        var unacked = 0
        package var maxUnacked = 0
        var settled: [CheckedContinuation<Void, Never>] = []
    }

    package var scope: String { Self.scope(image, spec) }

    private static func scope(_ image: DriverImage, _ spec: ComponentSpec) -> String {
        "\(spec.name) \(image.descriptor.type)@\(image.descriptor.driverVersion) gen \(spec.generation)"
    }

    private init(image: DriverImage, spec: ComponentSpec, contextID: UInt64, instance: OpaquePointer?) {
        self.image = image
        self.spec = spec
        self.contextID = contextID
        self.instance = instance
    }

    /// Creates an instance (the driver's `create`: validation, no I/O).
    package static func create(_ image: DriverImage, _ spec: ComponentSpec) throws(RuntimeError) -> InProcessInstance {
        let contextID = Contexts.shared.reserve(scope: scope(image, spec), redactor: spec.redactor)
        var created: OpaquePointer?
        let (status, message) = withStr(spec.name) { name in
            withStr(spec.type) { type in
                withStr(spec.version) { version in
                    withKVList(spec.metadata) { metadata in
                        var params = bd_create_params(
                            struct_size: UInt32(MemoryLayout<bd_create_params>.size), component_name: name,
                            type_name: type, component_version: version, directions: Self.bits(spec.directions),
                            metadata: metadata, generation: spec.generation)
                        return ErrorBuffer.with {
                            image.api.pointee.create(&params, Handle.pointer(contextID), &created, $0)
                        }
                    }
                }
            }
        }
        guard status == BD_OK, created != nil else {
            Contexts.shared.remove(contextID)
            let detail = message.isEmpty ? statusName(status) : spec.redactor.redacted(message)
            throw RuntimeError(
                code: .createFailed, component: spec.name, reason: "\(image.descriptor.type) create failed: \(detail)")
        }
        let instance = InProcessInstance(image: image, spec: spec, contextID: contextID, instance: created)
        Contexts.shared.add(instance)
        return instance
    }

    private static func bits(_ directions: Directions) -> UInt32 {
        (directions.contains(.input) ? BD_DIR_INPUT : 0) | (directions.contains(.output) ? BD_DIR_OUTPUT : 0)
    }

    /// The driver's `init`: connects and checks the configuration against the real system.
    package func start(timeout: Duration) async throws(RuntimeError) {
        let result = await operation(timeout: timeout) { image.api.pointee.`init`(instance, $0) }
        if result.status == BD_E_TIMEOUT {
            throw RuntimeError(code: .initTimedOut, component: spec.name, reason: "init timed out after \(timeout)")
        }
        guard result.status == BD_OK else {
            throw RuntimeError(code: .initFailed, component: spec.name, reason: "init failed: \(describe(result))")
        }
    }

    /// Runs one output operation; `done` runs exactly once, on whichever thread completes it
    /// (the hot path: no task is created).
    package func invoke(_ request: OutputRequest, done reply: @escaping @Sendable (InvokeOutcome) -> Void) {
        let done = spec.redactor.isEmpty ? reply : Self.masking(reply, with: spec.redactor)
        guard let invoke = image.api.pointee.invoke else {
            return done(
                InvokeOutcome(status: BD_E_UNSUPPORTED, message: "\(image.descriptor.type) has no output direction"))
        }
        var directError = ""
        Calls.shared.start(
            timeout: nil, timedOut: .invoke(InvokeOutcome(status: BD_E_TIMEOUT, message: "timed out")),
            waiter: { completion in
                guard case .invoke(let outcome) = completion else {
                    return done(
                        InvokeOutcome(status: BD_E_INTERNAL, message: "driver completed an invoke as an operation"))
                }
                done(outcome)
            }
        ) { call in
            // An error returned directly may be described in the request's error buffer (1.1).
            let (status, message) = ErrorBuffer.with { error in
                withStr(request.operation) { op in
                    withBytes(request.data) { bytes in
                        withKVList(request.metadata) { list in
                            withStr(request.requestID) { id in
                                var cRequest = bd_invoke_request(
                                    struct_size: UInt32(MemoryLayout<bd_invoke_request>.size), operation: op,
                                    data: bytes,
                                    metadata: list, deadline_mono_ns: request.deadline, request_id: id, error: error)
                                return invoke(instance, &cRequest, call)
                            }
                        }
                    }
                }
            }
            directError = message
            return status
        } failed: { status in
            .invoke(
                InvokeOutcome(
                    status: status, message: directError.isEmpty ? "invoke returned \(statusName(status))" : directError
                ))
        }
    }
}

extension InProcessInstance {
    /// The driver's `start_input`: events go to `deliver`, at most `maxUnacked` await their ack.
    package func startInput(maxUnacked: Int, deliver: @escaping @Sendable (InputEvent) -> Void)
        async throws(RuntimeError)
    {
        guard let startInput = image.api.pointee.start_input else {
            throw RuntimeError(
                code: .unsupported, component: spec.name, reason: "\(image.descriptor.type) has no input direction")
        }
        input.withLock {
            $0.deliver = deliver
            $0.maxUnacked = max(1, maxUnacked)
        }
        var params = bd_input_params(
            struct_size: UInt32(MemoryLayout<bd_input_params>.size), max_unacked: UInt32(max(1, maxUnacked)))
        let result = await operation(timeout: nil) { startInput(instance, &params, $0) }
        guard result.status == BD_OK else {
            input.withLock { $0.deliver = nil }
            throw RuntimeError(
                code: .inputFailed, component: spec.name, reason: "start_input failed: \(describe(result))")
        }
    }

    /// Called by the host table for each emitted event: admits it within the credit budget.
    package func accept(_ event: InputEvent) -> bd_status {
        let deliver = input.withLock { state -> (@Sendable (InputEvent) -> Void)?? in
            guard let deliver = state.deliver else { return .none }
            guard state.unacked < state.maxUnacked else { return .some(nil) }
            state.unacked += 1
            return .some(deliver)
        }
        switch deliver {
        case .none: return BD_E_UNAVAILABLE
        case .some(nil): return BD_E_BUSY
        case .some(let deliver?):
            deliver(event)
            return BD_OK
        }
    }

    /// Passes the app's answer for one event back to the driver.
    package func acknowledge(_ deliveryID: UInt64, _ answer: Acknowledgement) {
        let kind: bd_ack_kind =
            switch answer.kind {
            case .ack: BD_ACK
            case .retry: BD_NACK_RETRY
            case .drop: BD_NACK_DROP
            }
        let (response, error) = (answer.response, answer.error)
        if let ack = image.api.pointee.ack {
            withBytes(response) { body in
                guard let error else { return ack(instance, deliveryID, kind, body, nil) }
                withStr(error) { text in
                    var cError = bd_error(
                        struct_size: UInt32(MemoryLayout<bd_error>.size), code: BD_E_INTERNAL, flags: 0, message: text)
                    ack(instance, deliveryID, kind, body, &cError)
                }
            }
        }
        let settled = input.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.unacked = max(0, state.unacked - 1)
            guard state.unacked == 0 else { return [] }
            defer { state.settled = [] }
            return state.settled
        }
        for waiter in settled { waiter.resume() }
    }

    /// Waits until every emitted event has been acknowledged (deliveries drained).
    package func waitForAcknowledgements() async {
        await withCheckedContinuation { continuation in
            let done = input.withLock { state -> Bool in
                if state.unacked == 0 { return true }
                state.settled.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Events emitted and not yet acknowledged.
    package var unacknowledged: Int { input.withLock { $0.unacked } }

    /// The driver's `stop`; returns false if it did not complete within `timeout`.
    @discardableResult
    package func stop(timeout: Duration) async -> Bool {
        input.withLock { $0.deliver = nil }
        let deadline =
            MonotonicClock.nanoseconds() + UInt64(timeout.components.seconds) * 1_000_000_000
            + UInt64(timeout.components.attoseconds / 1_000_000_000)
        let result = await operation(timeout: timeout) { image.api.pointee.stop(instance, deadline, $0) }
        if result.status != BD_OK { Log.warn("stop: \(describe(result))", scope: scope) }
        return result.status != BD_E_TIMEOUT
    }

    /// The driver's `destroy`. Runs once; later calls do nothing. The context outlives the call,
    /// so lines the driver logs while it tears down still name the component.
    package func destroy() {
        guard !destroyed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        image.api.pointee.destroy(instance)
        Contexts.shared.remove(contextID)
    }

    private func operation(timeout: Duration?, _ start: (OpaquePointer?) -> bd_status) async -> OpResult {
        let completion = await Calls.shared.run(
            timeout: timeout, timedOut: .op(OpResult(status: BD_E_TIMEOUT, message: "timed out")), start
        ) { status in .op(OpResult(status: status, message: "returned \(statusName(status)) without starting")) }
        guard case .op(let result) = completion else {
            return OpResult(status: BD_E_INTERNAL, message: "driver completed an operation as an invoke")
        }
        return result
    }

    /// `reply`, given outcomes with the component's secrets masked.
    private static func masking(_ reply: @escaping @Sendable (InvokeOutcome) -> Void, with redactor: Redactor)
        -> @Sendable (InvokeOutcome) -> Void
    {
        { (outcome: InvokeOutcome) in reply(redactor.redacted(outcome)) }
    }

    /// The status and the driver's message, secrets masked.
    private func describe(_ result: OpResult) -> String {
        result.message.isEmpty
            ? statusName(result.status) : "\(statusName(result.status)): \(spec.redactor.redacted(result.message))"
    }
}
