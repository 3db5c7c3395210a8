import AWSKit
import DriverJSON
import DriverKit
import Glibc
import Synchronization

/// `bindings.aws.kinesis`: `create` puts a record (PutRecord, AWS JSON 1.1); input reads every
/// shard in Dapr's `shared` mode with leases and checkpoints in a DynamoDB table named after
/// `consumerName` (`StreamReader`), checkpointing only what the app answered with success.
/// Dapr's `extended` mode (enhanced fan-out) is refused at input start (see the README).
final class KinesisDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.aws.kinesis", version: "1.0.0",
        summary:
            "Puts records to a Kinesis stream and reads every shard with leases and checkpoints in DynamoDB (KCL's table).",
        directions: [.input, .output],
        operations: ["create"],
        // Two generations must not read at once: the new one could not take the old one's
        // leases until they lapse. Stopping the old one first releases them, with its checkpoints.
        inputMayOverlap: false,
        fields: KinesisDriver.fields)

    let settings: KinesisSettings
    private let component: String
    private let log: StreamReader.Log
    private let timings: StreamReader.Timings
    private let kinesis: AWSClient
    private let dynamodb: AWSClient
    private let reader = Mutex<(reader: StreamReader?, stopped: Bool)>((nil, false))
    /// This instance's `AssignedTo` in the lease table.
    let workerID: String

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration, log: { host.log($0, $1) })
    }

    /// Checks the configuration; no I/O. Tests pass their own `log` and shorter `timings`.
    init(
        configuration: DriverConfiguration, log: @escaping StreamReader.Log,
        timings: StreamReader.Timings = StreamReader.Timings()
    ) throws {
        settings = try KinesisSettings(configuration)
        component = configuration.componentName
        self.log = log
        self.timings = timings
        kinesis = AWSClient(
            configuration: settings.kinesis, service: .kinesis, component: component, insecureTLS: false)
        dynamodb = AWSClient(
            configuration: settings.dynamodb, service: .dynamodb, component: component, insecureTLS: false)
        workerID = Self.makeWorkerID()
    }

    /// Starts the Kinesis client's thread. No request: as in Dapr, a missing stream fails the
    /// first create (output) or the input's start.
    func start() async throws {
        try kinesis.start()
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard request.operation == "create" else {
            throw DriverError(
                .unsupported,
                "\(component): bindings.aws.kinesis does not support operation \"\(request.operation)\" (only create)")
        }
        let partitionKey =
            request.metadata["partitionKey"].flatMap { $0.isEmpty ? nil : $0 }
            ?? settings.partitionKey ?? RandomUUID.v4()
        let body = jsonObject([
            ("StreamName", .string(settings.streamName)), ("Data", .string(Base64.encodedString(request.data))),
            ("PartitionKey", .string(partitionKey)),
        ])
        let timeout = try RequestDeadline.milliseconds(left: request.deadline, prefix: component)
        do {
            // A PutRecord retried after it was applied would put the record twice.
            _ = try await kinesis.json(
                "Kinesis_20131202.PutRecord", body, version: .v11, timeoutMilliseconds: timeout, idempotent: false)
        } catch {
            throw error.driverError(component, about: "stream \"\(settings.streamName)\"")
        }
        return nil
    }

    func startInput(_ events: EventSink) async throws {
        try await startInput { data, metadata in events.emit(data, metadata: metadata) }
    }

    /// Starts reading with any emitter (tests pass a closure).
    func startInput(emit: @escaping StreamReader.Emit) async throws {
        guard settings.mode == .shared else {
            throw DriverError(
                .unsupported,
                "\(component): bindings.aws.kinesis: mode \"extended\" (enhanced fan-out: SubscribeToShard over an HTTP/2 event stream) is not supported by bindery; use mode \"shared\""
            )
        }
        guard let consumer = settings.consumerName else {
            throw DriverError(
                .invalidArgument,
                "\(component): metadata \"consumerName\" is required to read from stream \"\(settings.streamName)\": it names the DynamoDB table of leases and checkpoints"
            )
        }
        let reader = makeReader(consumer: consumer, emit: emit)
        // The DynamoDB client starts under the lock that `stop` sets `stopped` under: a stop
        // either comes first (nothing starts) or stops it after.
        try self.reader.withLock { state throws(DriverError) in
            guard !state.stopped, state.reader == nil else {
                throw DriverError(
                    .invalidArgument, "\(component): bindings.aws.kinesis input already started or stopping")
            }
            try dynamodb.start()
            state.reader = reader
        }
        do {
            try await reader.start()
        } catch {
            // Nothing was taken yet (start fails before it takes a lease): a later startInput may try again.
            self.reader.withLock { state in
                if state.reader === reader { state.reader = nil }
            }
            throw error
        }
    }

    /// A reader of the stream for application `consumer`, its leases in the table of that name.
    private func makeReader(consumer: String, emit: @escaping StreamReader.Emit) -> StreamReader {
        let leases = LeaseTable(
            client: dynamodb, table: consumer, worker: workerID,
            leaseNanoseconds: Int64(timings.lease.components.seconds) * 1_000_000_000
                + timings.lease.components.attoseconds / 1_000_000_000,
            timeoutMilliseconds: timings.callTimeoutMilliseconds)
        return StreamReader(
            stream: settings.streamName, component: component, kinesis: kinesis, leases: leases,
            initialPosition: settings.initialPosition, timings: timings, emit: emit, log: log)
    }

    func acknowledge(_ acknowledgement: Acknowledgement) {
        reader.withLock { $0.reader }?.acknowledge(acknowledgement.deliveryID, acknowledgement.kind)
    }

    /// Stops the reader (checkpoints and releases its leases), then both clients.
    func stop() async {
        let current = reader.withLock { state -> StreamReader? in
            state.stopped = true
            return state.reader
        }
        await current?.stop()
        await kinesis.stop()
        await dynamodb.stop()
    }

    /// The input's reader (tests).
    var streamReader: StreamReader? { reader.withLock { $0.reader } }

    /// Host name, process id and a random part: unique per instance, readable in the table.
    private static func makeWorkerID() -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0 ? String(cString: name) : "bindery"
        return "\(host)-\(getpid())-\(RandomUUID.v4().prefix(8))"
    }
}

/// The driver this library exports (Plugins/aws-kinesis/Entry).
public let exportedDriver: any BindingDriver.Type = KinesisDriver.self
