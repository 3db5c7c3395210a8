import AWSKit
import DriverKit
import Synchronization

/// `bindings.aws.sqs`: sends each `create` to one SQS queue (SendMessage), and delivers the
/// queue's messages to the app, deleting each only after the app's 2xx (SQSInput), over SQS's
/// JSON 1.0 protocol with SigV4.
///
/// The host creates one instance per direction; each has its own AWSClient, opened in `start`.
final class SQSDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.aws.sqs", version: "1.0.0",
        summary: "Sends messages to and receives messages from an AWS SQS queue (JSON protocol, SigV4).",
        directions: [.input, .output], operations: ["create"],
        // Two generations may poll the queue at once during a swap: SQS hands each message to
        // one receiver, and the old one's unanswered messages come back to the queue.
        inputMayOverlap: true,
        fields: SQSDriver.fields)

    let queueName: String
    let configuration: AWSConfiguration
    private let component: String
    private let client: AWSClient
    let queue: SQSQueue
    private let input: SQSInput
    private let lifecycle = Mutex((started: false, stopped: false))

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration) { level, message in host.log(level, message) }
    }

    /// Checks the configuration; no I/O. Tests pass their own `log`.
    init(configuration: DriverConfiguration, log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }) throws {
        let metadata = ComponentMetadata(configuration, fields: SQSDriver.fields)
        component = configuration.componentName
        queueName = try metadata.required(SQSKey.queueName)
        self.configuration = try AWSConfiguration(metadata, service: .sqs)
        client = AWSClient(configuration: self.configuration, service: .sqs, component: component, insecureTLS: false)
        queue = SQSQueue(name: queueName, component: component, client: client)
        input = SQSInput(queue: queue, log: log)
    }

    /// Opens the client. The queue is not looked up here: a queue created after the component
    /// starts is found by the first send or receive (Dapr's Init does not check it either).
    func start() async throws {
        try startClient()
    }

    /// `create`: SendMessage with the data as the message body; no response (204), as Dapr.
    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard request.operation == "create" else {
            throw DriverError(
                .unsupported,
                "binding \(component) does not support operation \(request.operation). supported operations:create")
        }
        guard let body = String(validating: request.data, as: UTF8.self) else {
            throw DriverError(.invalidArgument, "\(component): an SQS message body must be UTF-8 text")
        }
        try await queue.send(
            body, timeoutMilliseconds: RequestDeadline.milliseconds(left: request.deadline, prefix: component))
        return nil
    }

    func startInput(_ events: EventSink) async throws {
        try await startInput { data, metadata in events.emit(data, metadata: metadata) }
    }

    /// Starts polling with any emitter (tests pass a closure).
    func startInput(emit: @escaping SQSInput.Emit) async throws {
        try startClient()
        input.start(emit)
    }

    func acknowledge(_ acknowledgement: Acknowledgement) {
        input.settle(acknowledgement.deliveryID, acknowledgement.kind)
    }

    /// The app's answer to event `deliveryID` (tests call this directly).
    func settle(_ deliveryID: UInt64, _ kind: Acknowledgement.Kind) {
        input.settle(deliveryID, kind)
    }

    /// Input first hands nothing new to the app and settles the message the app holds (up to
    /// 4 s); then the client stops, which cuts a long poll short (messages it had received come
    /// back after their visibility timeout).
    func stop() async {
        let first = lifecycle.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        await input.drain()
        await client.stop()
        await input.finish()
    }

    /// What input did so far (tests).
    var inputCounts: SQSInput.Counts { input.counts }

    /// True once input stopped handing messages to the app (tests).
    var inputIsStopping: Bool { input.isStopping }

    /// Starts the client once; a start that failed is tried again by the next call. Under the
    /// lock, so that a stop racing with it either comes first (refused here) or finds the
    /// client started (and stops it): `client.start` only spawns its thread.
    private func startClient() throws {
        try lifecycle.withLock { state throws(DriverError) in
            guard !state.stopped else {
                throw DriverError(.unavailable, "\(component): bindings.aws.sqs is stopping")
            }
            guard !state.started else { return }
            try client.start()
            state.started = true
        }
    }
}

/// The driver this library exports (Plugins/aws-sqs/Entry).
public let exportedDriver: any BindingDriver.Type = SQSDriver.self
