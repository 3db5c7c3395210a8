import DriverKit
import Synchronization

/// `bindings.kafka`: publishes output requests to a Kafka topic and delivers the records of
/// `topics` in `consumerGroup` to the app, as Dapr's Kafka binding, on librdkafka.
///
/// Output (`start`): one producer; `invoke` completes when the brokers acknowledged the record
/// (KafkaProducer). Input (`startInput`): one balanced consumer whose thread hands records to
/// the app, one per partition at a time, and commits each offset only after the app's answer
/// (KafkaConsumer, PartitionLanes, InputDelivery).
final class KafkaDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.kafka", version: "1.0.0",
        summary:
            "Publishes to and consumes Kafka topics in a consumer group, committing after the app's 2xx (librdkafka).",
        directions: [.input, .output],
        operations: ["create"],
        // Two generations in one consumer group during a swap share the partitions (a
        // rebalance) and commit only answered records: nothing is lost, at worst a record is
        // delivered again, as with any rebalance.
        inputMayOverlap: true,
        fields: KafkaDriver.fields)

    /// How long `start`/`startInput` wait for a broker's answer (Dapr: 30 s dial timeout; a
    /// bindery component that cannot start is retried by the host).
    static let connectTimeoutMilliseconds: Int32 = 10_000

    let settings: KafkaSettings
    private let configuration: DriverConfiguration
    private let log: @Sendable (LogLevel, String) -> Void
    let delivery: InputDelivery
    private let clients = Mutex<(producer: KafkaProducer?, consumer: KafkaConsumer?, stopped: Bool)>((nil, nil, false))

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration) { level, message in host.log(level, message) }
    }

    /// Checks the configuration; no I/O.
    init(configuration: DriverConfiguration, log: @escaping @Sendable (LogLevel, String) -> Void) throws {
        settings = try KafkaSettings(configuration)
        if configuration.directions.contains(.input), !settings.topics.isEmpty, settings.consumerGroup == nil {
            throw DriverError(
                .invalidArgument,
                "\(settings.component): metadata \"consumerGroup\" is required to consume topics \(settings.topics.joined(separator: ","))"
            )
        }
        self.configuration = configuration
        self.log = log
        delivery = InputDelivery(retry: settings.retry, component: settings.component, log: log)
    }

    /// Creates the producer and checks that a broker answers; fails naming the brokers.
    func start() async throws {
        guard configuration.directions.contains(.output) else { return }
        let producer = try KafkaProducer(settings, events: events())
        try await offHostThreads("bindings.kafka start") {
            try producer.start(timeoutMilliseconds: Self.connectTimeoutMilliseconds)
        }
        guard register(producer, as: \.producer) else {
            await producer.stop()
            throw DriverError(.invalidArgument, "\(settings.component): already started or stopping")
        }
        log(
            .debug,
            "bindings.kafka \(settings.component): output ready for \(settings.brokers) with \(KafkaClient.version)")
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        try await withCheckedThrowingContinuation { continuation in
            invoke(request) { continuation.resume(with: $0.mapError { $0 as any Error }) }
        }
    }

    /// `create`: completes (204) once the brokers acknowledged the record, on the producer's
    /// thread, without a Swift task per request.
    func invoke(
        _ request: InvokeRequest, completion: @escaping @Sendable (Result<InvokeResponse?, DriverError>) -> Void
    ) {
        let message: OutgoingMessage
        do { message = try OutgoingMessage(request, settings: settings) } catch {
            return completion(.failure(DriverError.wrapping(error)))
        }
        guard let producer = clients.withLock({ $0.producer }) else {
            return completion(
                .failure(
                    DriverError(.unavailable, "\(settings.component): output is not started (direction input only?)")))
        }
        producer.send(message) { result in completion(result.map { nil }) }
    }

    func startInput(_ events: EventSink) async throws {
        try await startInput { data, metadata in events.emit(data, metadata: metadata) }
    }

    /// Subscribes with any emitter (tests pass a closure).
    func startInput(emit: @escaping InputDelivery.Emit) async throws {
        guard !settings.topics.isEmpty else {
            log(.warn, "kafka binding: no topic defined, input bindings will not be started")
            return
        }
        delivery.attach(emit)
        let consumer = try KafkaConsumer(settings, events: events(), delivery: delivery)
        guard register(consumer, as: \.consumer) else {
            throw DriverError(.invalidArgument, "\(settings.component): input already started or stopping")
        }
        do {
            try await offHostThreads("bindings.kafka startInput") {
                try consumer.start(timeoutMilliseconds: Self.connectTimeoutMilliseconds)
            }
        } catch {
            clients.withLock { $0.consumer = nil }
            await consumer.stop()
            throw error
        }
        log(
            .debug,
            "bindings.kafka \(settings.component): consuming \(settings.topics.joined(separator: ",")) in group \(settings.consumerGroup ?? "")"
        )
    }

    func acknowledge(_ acknowledgement: Acknowledgement) {
        delivery.settle(acknowledgement.deliveryID, acknowledgement.kind)
    }

    /// Stops input (a record the app holds stays uncommitted), then output (records in flight
    /// get up to 5 s to be acknowledged, the rest fail as cancelled).
    func stop() async {
        delivery.stop()
        let (producer, consumer) = clients.withLock { state in
            state.stopped = true
            return (state.producer, state.consumer)
        }
        await consumer?.stop()
        await producer?.stop()
    }

    /// Offsets committed so far (tests).
    var commitCount: Int { clients.withLock { $0.consumer }?.commitCount ?? 0 }

    /// Records fetched and waiting behind the one in the app's hands, over all partitions (tests).
    var backlog: Int { clients.withLock { $0.consumer }?.lanes.backlog ?? 0 }

    /// How many times input paused a partition's fetching for its backlog (tests).
    var pauseCount: Int { clients.withLock { $0.consumer }?.lanes.pauseCount ?? 0 }

    private func events() -> ClientEvents { ClientEvents(component: settings.component, log: log) }

    private typealias Clients = (producer: KafkaProducer?, consumer: KafkaConsumer?, stopped: Bool)

    private func register<Client>(_ client: Client, as slot: WritableKeyPath<Clients, Client?>) -> Bool {
        clients.withLock { state in
            guard !state.stopped, state[keyPath: slot] == nil else { return false }
            state[keyPath: slot] = client
            return true
        }
    }
}

/// The driver this library exports (Plugins/kafka/Entry).
public let exportedDriver: any BindingDriver.Type = KafkaDriver.self
