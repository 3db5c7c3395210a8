import DriverKit
import GoogleAuth
import Synchronization

/// `bindings.gcp.pubsub`: publishes each `create` to a Pub/Sub topic, and delivers a
/// subscription's messages to the app, acknowledging each only after the app's 2xx
/// (PubSubInput), over Pub/Sub's REST v1 API.
///
/// The host creates one instance per direction; each has its own HTTP client, opened in `start`.
final class PubSubDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.gcp.pubsub", version: "1.0.0",
        summary: "Publishes to a Google Cloud Pub/Sub topic and receives from a subscription (REST v1 API).",
        directions: [.input, .output], operations: ["create"],
        // Two generations may pull the subscription at once during a swap: Pub/Sub hands each
        // message to one of them, and the old one's unanswered messages are handed back.
        inputMayOverlap: true,
        fields: PubSubDriver.fields)

    /// What the token is asked for: Pub/Sub's scope and cloud-platform, as Google's Go client.
    static let scopes = ["https://www.googleapis.com/auth/pubsub", "https://www.googleapis.com/auth/cloud-platform"]

    let topic: String
    let subscription: String?
    let access: GoogleAccess
    private let component: String
    let client: PubSubClient
    private let input: PubSubInput?
    private let log: @Sendable (LogLevel, String) -> Void
    private let lifecycle = Mutex((started: false, stopped: false))

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration) { level, message in host.log(level, message) }
    }

    /// Checks the configuration; no I/O. Tests pass their own `log`.
    init(configuration: DriverConfiguration, log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }) throws {
        let metadata = ComponentMetadata(configuration, fields: PubSubDriver.fields)
        component = configuration.componentName
        self.log = log
        topic = try metadata.required(PubSubKey.topic)
        subscription = metadata.string(PubSubKey.subscription)
        if configuration.directions.contains(.input), subscription == nil {
            throw DriverError(
                .invalidArgument,
                "\(component): metadata \"subscription\" is required for input (the subscription to pull)")
        }
        let access = try GoogleAccess(
            metadata: metadata, scopes: PubSubDriver.scopes, emulatorVariable: "PUBSUB_EMULATOR_HOST",
            endpoint: metadata.string(PubSubKey.endpoint))
        guard let projectID = access.projectID else {
            throw DriverError(
                .invalidArgument,
                "\(component): metadata \"projectID\" is required (or a GOOGLE_APPLICATION_CREDENTIALS key file with a project_id)"
            )
        }
        self.access = access
        let client = PubSubClient(component: component, projectID: projectID, access: access)
        self.client = client
        input = subscription.map { PubSubInput(client: client, subscription: $0, log: log) }
    }

    /// Opens the client. Neither topic nor subscription is looked up here: one created after the
    /// component starts is found by the first publish or pull (Dapr's Init does not check them).
    func start() async throws {
        try startClient()
    }

    /// `create`: publishes the data (no attributes) to `topic`, or to the request's `topic`
    /// metadata; no response (204), as Dapr.
    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard request.operation == "create" else {
            throw DriverError(
                .unsupported,
                "binding \(component) does not support operation \(request.operation). supported operations:create")
        }
        let target = request.metadata["topic"].flatMap { $0.isEmpty ? nil : $0 } ?? topic
        try await client.publish(
            request.data, topic: target,
            timeoutMilliseconds: try RequestDeadline.milliseconds(
                left: request.deadline, prefix: component))
        return nil
    }

    func startInput(_ events: EventSink) async throws {
        try await startInput { data, metadata in events.emit(data, metadata: metadata) }
    }

    /// Starts pulling with any emitter (tests pass a closure).
    func startInput(emit: @escaping PubSubInput.Emit) async throws {
        guard let input else {
            throw DriverError(.invalidArgument, "\(component): metadata \"subscription\" is required for input")
        }
        try startClient()
        input.start(emit)
    }

    func acknowledge(_ acknowledgement: Acknowledgement) {
        input?.settle(acknowledgement.deliveryID, acknowledgement.kind)
    }

    /// The app's answer to event `deliveryID` (tests call this directly).
    func settle(_ deliveryID: UInt64, _ kind: Acknowledgement.Kind) {
        input?.settle(deliveryID, kind)
    }

    /// Input first hands nothing new to the app and settles the message the app holds (up to
    /// 4 s) and hands the rest of its batch back; then the client stops, which cuts a pull short.
    func stop() async {
        let first = lifecycle.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        await input?.drain()
        await client.stop()
        await access.stop()
        await input?.finish()
    }

    /// What input did so far (tests).
    var inputCounts: PubSubInput.Counts { input?.counts ?? PubSubInput.Counts() }

    /// True once input stopped handing messages to the app (tests).
    var inputIsStopping: Bool { input?.isStopping ?? false }

    /// Starts the clients once; a start that failed is tried again by the next call. Under the
    /// lock, so that a stop racing with it either comes first (refused here) or finds the
    /// clients started (and stops them).
    private func startClient() throws {
        try lifecycle.withLock { state throws(DriverError) in
            guard !state.stopped else {
                throw DriverError(.unavailable, "\(component): bindings.gcp.pubsub is stopping")
            }
            guard !state.started else { return }
            try access.start()
            try client.start()
            state.started = true
            if let warning = access.plainHTTPWarning { log(.warn, warning) }
        }
    }
}

/// The driver this library exports (Plugins/gcp-pubsub/Entry).
public let exportedDriver: any BindingDriver.Type = PubSubDriver.self
