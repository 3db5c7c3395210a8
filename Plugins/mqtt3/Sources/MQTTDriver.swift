import DaprMetadata
import DriverKit
import Synchronization

/// `bindings.mqtt3` (alias `bindings.mqtt`): publishes output requests to an MQTT broker at
/// QoS 1 and delivers the messages of a subscription to the app, as Dapr's MQTT binding.
///
/// Each direction is its own instance with its own connection and thread (MQTTConnection):
/// output connects in `start` as `<consumerID>-producer`, input in `startInput` as
/// `<consumerID>-consumer`. `invoke` publishes and suspends until the PUBACK; input blocks the
/// consumer's thread per message until the app answered (Subscriber), which is what lets the
/// PUBACK wait for the app's 2xx with libmosquitto 2.0.
final class MQTTDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.mqtt3", version: "1.0.0",
        summary: "Publishes to and subscribes to an MQTT 3.1.1 broker at QoS 1 (libmosquitto).",
        directions: [.input, .output],
        operations: ["create"],
        // Not during a swap: two generations would connect with the same client id and the broker
        // would disconnect one for the other, back and forth; and with two ids each would get
        // every message. Stopping the old input first hands its persistent session (with any
        // unacknowledged message) to the new generation.
        inputMayOverlap: false,
        fields: MQTTDriver.fields)

    /// How long `start`/`startInput` wait for the broker's CONNACK (and SUBACK).
    static let connectTimeoutMilliseconds: UInt64 = 5_000
    /// How long a publish waits for its PUBACK when the request has no sooner deadline (Dapr: 10 s).
    static let publishTimeoutMilliseconds: UInt64 = 10_000
    /// Dapr retries a failed delivery every 5 s.
    static let retryIntervalMilliseconds: UInt64 = 5_000

    let settings: MQTTSettings
    private let configuration: DriverConfiguration
    private let log: @Sendable (LogLevel, String) -> Void
    private let publishes: PublishTracker
    private let subscriber: Subscriber
    private let connections = Mutex<(producer: MQTTConnection?, consumer: MQTTConnection?, stopped: Bool)>(
        (nil, nil, false))

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration) { level, message in host.log(level, message) }
    }

    /// Checks the configuration; no I/O. Tests pass their own `log` and a short retry interval.
    init(
        configuration: DriverConfiguration, retryIntervalMilliseconds: UInt64 = MQTTDriver.retryIntervalMilliseconds,
        log: @escaping @Sendable (LogLevel, String) -> Void
    ) throws {
        settings = try MQTTSettings(configuration)
        self.configuration = configuration
        self.log = log
        publishes = PublishTracker(url: settings.url.redacted)
        subscriber = Subscriber(
            maxRetries: settings.backOffMaxRetries, retryIntervalMilliseconds: retryIntervalMilliseconds, log: log)
    }

    /// Connects the output connection; fails naming the URL when the broker cannot be reached.
    func start() async throws {
        guard configuration.directions.contains(.output) else { return }
        let tracker = publishes
        let connection = try makeConnection(
            clientID: settings.producerClientID, subscription: nil,
            events: .init(
                published: { tracker.published($0) },
                tick: { tracker.expire(now: MonotonicClock.now()) },
                stopped: { tracker.close() },
                log: log))
        try await run(connection, as: \.producer)
        log(
            .debug,
            "bindings.mqtt3 output connected to \(settings.url.redacted) as \"\(settings.producerClientID)\" with \(Mosquitto.version)"
        )
    }

    /// `create`: publishes `data` at QoS 1 and returns (204) when the broker acknowledged it.
    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard request.operation == "create" else {
            throw DriverError(
                .unsupported,
                "binding mqtt3 does not support operation \(request.operation). supported operations: create")
        }
        guard let producer = connections.withLock({ $0.producer }) else {
            throw DriverError(
                .unavailable, "bindings.mqtt3: output is not started for component \(configuration.componentName)")
        }
        let topic = request.metadata[MQTTKey.topic.rawValue].flatMap { $0.isEmpty ? nil : $0 } ?? settings.topic
        let retain = request.metadata[MQTTKey.retain.rawValue].map(MetadataText.isTruthy) ?? settings.retain
        let deadline = min(
            request.deadline ?? .max, MonotonicClock.after(milliseconds: MQTTDriver.publishTimeoutMilliseconds))
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            switch producer.publish(topic: topic, payload: request.data, retain: retain) {
            case .success(let mid): publishes.track(mid, topic: topic, deadline: deadline, continuation)
            case .failure(let failure):
                if let mid = failure.queuedMid { publishes.abandon(mid) }
                continuation.resume(throwing: failure.error)
            }
        }
        return nil
    }

    func startInput(_ events: EventSink) async throws {
        try await startInput { data, metadata in events.emit(data, metadata: metadata) }
    }

    /// Subscribes with any emitter (tests pass a closure: EventSink has no public initialiser).
    func startInput(emit: @escaping Subscriber.Emit) async throws {
        subscriber.attach(emit)
        let subscriber = self.subscriber
        let connection = try makeConnection(
            clientID: settings.consumerClientID, subscription: settings.topic,
            events: .init(
                opened: { subscriber.connectionOpened(sessionPresent: $0) },
                received: { subscriber.handle($0) },
                log: log))
        try await run(connection, as: \.consumer)
    }

    func acknowledge(_ acknowledgement: Acknowledgement) {
        settle(acknowledgement.deliveryID, acknowledgement.kind)
    }

    /// The app's answer to event `deliveryID` (tests call this directly).
    func settle(_ deliveryID: UInt64, _ kind: Acknowledgement.Kind) {
        subscriber.settle(deliveryID, kind)
    }

    /// Stops emitting, cancels publishes waiting for a PUBACK, and ends both connection threads
    /// before returning. A message the app has not answered stays unacknowledged at the broker.
    func stop() async {
        subscriber.stop()
        let (producer, consumer) = connections.withLock { state in
            state.stopped = true
            return (state.producer, state.consumer)
        }
        async let consumerStopped: Void = consumer?.stop() ?? ()
        async let producerStopped: Void = producer?.stop() ?? ()
        _ = await (consumerStopped, producerStopped)
    }

    /// What input did so far (tests).
    var inputCounts: Subscriber.Counts { subscriber.counts }

    private func makeConnection(clientID: String, subscription: String?, events: MQTTConnection.Events) throws
        -> MQTTConnection
    {
        let tls =
            settings.url.usesTLS
            ? try TLSFiles(
                driver: "bindings.mqtt3", caCert: settings.pem.caCert, clientCert: settings.pem.clientCert,
                clientKey: settings.pem.clientKey)
            : nil
        do {
            return try MQTTConnection(
                .init(
                    url: settings.url, clientID: clientID, cleanSession: settings.cleanSession, tls: tls,
                    subscription: subscription),
                events: events)
        } catch {
            tls?.remove()
            throw error
        }
    }

    /// Registers `connection` (so stop finds it) and starts it; on failure stops it again.
    private func run(
        _ connection: MQTTConnection,
        as slot: WritableKeyPath<(producer: MQTTConnection?, consumer: MQTTConnection?, stopped: Bool), MQTTConnection?>
    ) async throws {
        let accepted = connections.withLock { state -> Bool in
            guard !state.stopped, state[keyPath: slot] == nil else { return false }
            state[keyPath: slot] = connection
            return true
        }
        guard accepted else {
            await connection.stop()
            throw DriverError(.invalidArgument, "bindings.mqtt3: already started or stopping")
        }
        do {
            try await connection.start(timeoutMilliseconds: MQTTDriver.connectTimeoutMilliseconds)
        } catch {
            await connection.stop()
            throw error
        }
    }
}

/// The driver this library exports (Plugins/mqtt3/Entry).
public let exportedDriver: any BindingDriver.Type = MQTTDriver.self
