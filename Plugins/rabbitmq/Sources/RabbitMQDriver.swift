import DaprMetadata
import DriverKit
import Synchronization

/// `bindings.rabbitmq`: publishes output requests to a RabbitMQ queue with publisher confirms,
/// and delivers the queue's messages to the app, acknowledging each to the broker only after
/// the app's 2xx, as Dapr's RabbitMQ binding (but a `create` succeeds only once the broker
/// confirmed the message, where Dapr returns as soon as it was written to the socket).
///
/// The host creates one instance per direction; each has one connection on its own thread
/// (AMQPConnection), opened in `start` (output) or `startInput` (input).
final class RabbitMQDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.rabbitmq", version: "1.0.0",
        summary: "Publishes to and consumes from a RabbitMQ queue over AMQP 0-9-1 (librabbitmq).",
        directions: [.input, .output],
        operations: ["create"],
        // Two generations may consume the same queue during a swap: the broker gives each
        // message to one of them, and the old one's unacknowledged messages go back to the queue
        // when it closes. (An exclusive queue cannot be shared: the new generation's declare
        // fails while the old one holds it, and the old one keeps serving.)
        inputMayOverlap: true,
        fields: RabbitMQDriver.fields)

    /// How long a publish waits for its confirm when the request has no sooner deadline.
    static let confirmTimeoutMilliseconds: UInt64 = 10_000

    let settings: RabbitMQSettings
    private let configuration: DriverConfiguration
    private let log: @Sendable (LogLevel, String) -> Void
    private let consumer: Consumer
    private let connections = Mutex<(output: AMQPConnection?, input: AMQPConnection?, stopped: Bool)>((nil, nil, false))

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration) { level, message in host.log(level, message) }
    }

    /// Checks the configuration; no I/O. Tests pass their own `log`.
    init(configuration: DriverConfiguration, log: @escaping @Sendable (LogLevel, String) -> Void) throws {
        settings = try RabbitMQSettings(configuration)
        self.configuration = configuration
        self.log = log
        consumer = Consumer(window: settings.prefetchCount, log: log)
    }

    private var component: String { configuration.componentName }

    /// Connects the output connection; fails naming the URL when the broker cannot be reached.
    func start() async throws {
        guard configuration.directions.contains(.output) else { return }
        try await run(makeConnection(.publisher, consumer: nil), as: \.output)
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        try await withCheckedThrowingContinuation { continuation in
            invoke(request) { continuation.resume(with: $0.mapError { $0 as any Error }) }
        }
    }

    /// `create`: publishes `data` and completes (204) once the broker confirmed it.
    func invoke(
        _ request: InvokeRequest, completion: @escaping @Sendable (Result<InvokeResponse?, DriverError>) -> Void
    ) {
        guard request.operation == "create" else {
            completion(
                .failure(
                    DriverError(
                        .unsupported,
                        "binding rabbitmq does not support operation \(request.operation). supported operations: create"
                    )))
            return
        }
        guard let output = connections.withLock({ $0.output }) else {
            completion(.failure(DriverError(.unavailable, "\(component): bindings.rabbitmq output is not started")))
            return
        }
        do {
            let publication = try Publication(request, component: component, defaultContentType: settings.contentType)
            let deadline = min(
                request.deadline ?? .max, MonotonicClock.after(milliseconds: RabbitMQDriver.confirmTimeoutMilliseconds))
            output.publish(publication, deadline: deadline, completion)
        } catch {
            completion(.failure(error))
        }
    }

    func startInput(_ events: EventSink) async throws {
        try await startInput { data, metadata in events.emit(data, metadata: metadata) }
    }

    /// Consumes with any emitter (tests pass a closure).
    func startInput(emit: @escaping Consumer.Emit) async throws {
        consumer.attach(emit)
        let prefetch = UInt16(settings.prefetchCount)
        try await run(makeConnection(.consumer(prefetch: prefetch), consumer: consumer), as: \.input)
    }

    func acknowledge(_ acknowledgement: Acknowledgement) {
        settle(acknowledgement.deliveryID, acknowledgement.kind)
    }

    /// The app's answer to event `deliveryID` (tests call this directly).
    func settle(_ deliveryID: UInt64, _ kind: Acknowledgement.Kind) {
        connections.withLock { $0.input }?.settle(deliveryID, kind)
    }

    /// Closes both connections and joins their threads. Messages the app has not answered go
    /// back to the queue (the broker requeues a closed consumer's unacknowledged messages).
    func stop() async {
        let (output, input) = connections.withLock { state in
            state.stopped = true
            return (state.output, state.input)
        }
        async let inputStopped: Void = input?.stop() ?? ()
        async let outputStopped: Void = output?.stop() ?? ()
        _ = await (inputStopped, outputStopped)
    }

    /// What input did so far (tests).
    var inputCounts: Consumer.Counts { consumer.counts }

    /// The output connection's phase (tests).
    var outputPhase: AMQPConnection.Phase? { connections.withLock { $0.output?.phase } }

    private func makeConnection(_ role: AMQPSession.Role, consumer: Consumer?) throws -> AMQPConnection {
        let tls =
            settings.address.usesTLS
            ? try TLSFiles(
                driver: "bindings.rabbitmq", caCert: settings.pem.caCert, clientCert: settings.pem.clientCert,
                clientKey: settings.pem.clientKey)
            : nil
        return AMQPConnection(
            component: component, target: .init(settings: settings, tls: tls), role: role, consumer: consumer, log: log)
    }

    private func run(
        _ connection: AMQPConnection,
        as slot: WritableKeyPath<(output: AMQPConnection?, input: AMQPConnection?, stopped: Bool), AMQPConnection?>
    ) async throws {
        let accepted = connections.withLock { state -> Bool in
            guard !state.stopped, state[keyPath: slot] == nil else { return false }
            state[keyPath: slot] = connection
            return true
        }
        guard accepted else {
            connection.target.tls?.remove()
            throw DriverError(.invalidArgument, "\(component): bindings.rabbitmq already started or stopping")
        }
        do {
            try await connection.start()
        } catch {
            await connection.stop()
            throw error
        }
    }
}

/// The driver this library exports (Plugins/rabbitmq/Entry).
public let exportedDriver: any BindingDriver.Type = RabbitMQDriver.self
