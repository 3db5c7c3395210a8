/// One driver the core can run instances of. Today a `.so` loaded in process (DriverRuntime);
/// an out-of-process driver or a Dapr pluggable component is a second implementation beside it.
/// The core sees only this protocol and `DriverInstance`, never how a call reaches the driver.
///
/// Identity matters: the Registry swaps a component when the endpoint serving its type is no
/// longer the same object (`===`), so an implementation must return the same object for the
/// same driver code.
package protocol DriverEndpoint: AnyObject, Sendable {
    /// What the driver declares: type, versions, directions, operations, metadata fields.
    var descriptor: DriverDescriptor { get }

    /// A new instance for one direction of one component (the driver's `create`: validation,
    /// no I/O). The spec's metadata already holds the declared defaults.
    func create(_ spec: ComponentSpec) throws(RuntimeError) -> any DriverInstance
}

/// One instance of a driver serving one direction of one generation of a component.
///
/// `invoke` and `acknowledge` may run concurrently; `start`, `startInput`, `stop` and `destroy`
/// are called one at a time by the owner, `destroy` last.
package protocol DriverInstance: AnyObject, Sendable {
    /// How log lines about this instance are labelled: component, driver, generation.
    var scope: String { get }

    /// The driver's `init`: connects and checks the configuration against the real system.
    func start(timeout: Duration) async throws(RuntimeError)

    /// Runs one output operation; `done` runs exactly once, on whichever thread completes it.
    func invoke(_ request: OutputRequest, done: @escaping @Sendable (InvokeOutcome) -> Void)

    /// Starts input: events go to `deliver`; at most `maxUnacked` await their acknowledgement.
    func startInput(maxUnacked: Int, deliver: @escaping @Sendable (InputEvent) -> Void) async throws(RuntimeError)

    /// Passes the app's answer for one event back to the driver.
    func acknowledge(_ deliveryID: UInt64, _ answer: Acknowledgement)

    /// Waits until every emitted event has been acknowledged.
    func waitForAcknowledgements() async

    /// Events emitted and not yet acknowledged.
    var unacknowledged: Int { get }

    /// The driver's `stop`; false if it did not complete within `timeout`.
    @discardableResult
    func stop(timeout: Duration) async -> Bool

    /// The driver's `destroy`. Runs once; later calls do nothing.
    func destroy()
}

extension DriverInstance {
    /// Runs one output operation and awaits its outcome.
    package func invoke(
        operation: String, data: [UInt8], metadata: Pairs, deadline: UInt64 = 0, requestID: String = ""
    ) async -> InvokeOutcome {
        let request = OutputRequest(
            operation: operation, data: data, metadata: metadata, deadline: deadline, requestID: requestID)
        return await withCheckedContinuation { continuation in
            invoke(request) { continuation.resume(returning: $0) }
        }
    }
}
