import BinderyCore
import Synchronization

/// The driver side of a delivery in these tests: records the acknowledgements Delivery passes
/// back for each event (the app and the channel under test are real).
final class AcknowledgementRecorder: DriverInstance {
    private let answers = Mutex<[UInt64: Acknowledgement]>([:])

    var scope: String { "recorder" }

    /// The acknowledgement for `deliveryID`, once there is one.
    func answer(_ deliveryID: UInt64) -> Acknowledgement? { answers.withLock { $0[deliveryID] } }

    func acknowledge(_ deliveryID: UInt64, _ answer: Acknowledgement) {
        answers.withLock { $0[deliveryID] = answer }
    }

    func start(timeout: Duration) async throws(RuntimeError) {}
    func invoke(_ request: OutputRequest, done: @escaping @Sendable (InvokeOutcome) -> Void) {}
    func startInput(maxUnacked: Int, deliver: @escaping @Sendable (InputEvent) -> Void) async throws(RuntimeError) {}
    func waitForAcknowledgements() async {}
    var unacknowledged: Int { 0 }
    func stop(timeout: Duration) async -> Bool { true }
    func destroy() {}
}
