/// A binding driver written in Swift. One instance serves one component (one generation of it).
///
/// The host creates an instance (`init(configuration:host:)`, no I/O), starts it (`start()`),
/// then calls `invoke(_:)` concurrently for output and `startInput(_:)` once for input, and
/// finally `stop()`. Never block a thread in these methods and never trap: a crash in a driver
/// is a crash of the host.
public protocol BindingDriver: AnyObject, Sendable {
    /// What this driver is; read once when the host loads the library.
    static var descriptor: DriverDescriptor { get }

    /// Validates the configuration and keeps what it needs. No I/O, no threads.
    /// Throw `DriverError.invalidArgument` for a bad configuration.
    init(configuration: DriverConfiguration, host: DriverHost) throws

    /// Connects, authenticates, pings. Errors keep the component from serving.
    func start() async throws

    /// Runs one output operation. Return nil for "no response" (HTTP 204).
    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse?

    /// The same, completing through `completion` (exactly once, from any thread) instead of a
    /// Swift task: a driver whose I/O thread finishes requests implements this to skip a task
    /// and a continuation per request. The default runs `invoke(_:)` in a task.
    func invoke(
        _ request: InvokeRequest, completion: @escaping @Sendable (Result<InvokeResponse?, DriverError>) -> Void)

    /// Begins emitting input events through `events`; returns once the source runs.
    func startInput(_ events: EventSink) async throws

    /// The app's answer to an event `events.emit` accepted. Called exactly once per such event.
    func acknowledge(_ acknowledgement: Acknowledgement)

    /// Stops everything this instance runs: emitting, timers, threads, connections.
    func stop() async
}

extension BindingDriver {
    public func start() async throws {}

    public func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        throw DriverError(.unsupported, "operation \"\(request.operation)\" is not supported")
    }

    public func invoke(
        _ request: InvokeRequest, completion: @escaping @Sendable (Result<InvokeResponse?, DriverError>) -> Void
    ) {
        Task {
            do { completion(.success(try await invoke(request))) } catch {
                completion(.failure(DriverError.from(error)))
            }
        }
    }

    public func startInput(_ events: EventSink) async throws {
        throw DriverError(.unsupported, "this driver has no input direction")
    }

    public func acknowledge(_ acknowledgement: Acknowledgement) {}

    public func stop() async {}
}

/// The configuration of one instance: the component and its resolved metadata.
public struct DriverConfiguration: Sendable {
    public var componentName: String
    public var type: String
    public var componentVersion: String
    public var directions: Directions
    public var metadata: [String: String]
    public var generation: UInt64

    public init(
        componentName: String, type: String, componentVersion: String = "v1",
        directions: Directions, metadata: [String: String], generation: UInt64 = 1
    ) {
        self.componentName = componentName
        self.type = type
        self.componentVersion = componentVersion
        self.directions = directions
        self.metadata = metadata
        self.generation = generation
    }

    /// The value of `key` (matched case-insensitively, as daprd does), or nil when it is
    /// missing or empty. `ComponentMetadata` also applies defaults and reads typed values.
    public func value(_ key: String) -> String? {
        if let value = metadata[key], !value.isEmpty { return value }
        let lower = key.lowercased()
        return metadata.first { $0.key.lowercased() == lower && !$0.value.isEmpty }?.value
    }

    /// The value of `key`, or an `invalidArgument` error naming the key and the component.
    public func required(_ key: String) throws -> String {
        guard let value = value(key) else {
            throw DriverError(.invalidArgument, "\(componentName): metadata \"\(key)\" is required")
        }
        return value
    }
}

/// An output request; the bytes are a copy owned by the driver.
public struct InvokeRequest: Sendable {
    public var operation: String
    public var data: [UInt8]
    public var metadata: [String: String]
    /// CLOCK_MONOTONIC nanoseconds, or nil for no deadline.
    public var deadline: UInt64?
    public var requestID: String

    public init(
        operation: String, data: [UInt8] = [], metadata: [String: String] = [:],
        deadline: UInt64? = nil, requestID: String = ""
    ) {
        self.operation = operation
        self.data = data
        self.metadata = metadata
        self.deadline = deadline
        self.requestID = requestID
    }
}

/// An output response: body bytes, metadata returned as `metadata.<key>` headers.
public struct InvokeResponse: Sendable {
    public var data: [UInt8]
    public var metadata: [String: String]
    public var contentType: String

    public init(data: [UInt8] = [], metadata: [String: String] = [:], contentType: String = "") {
        self.data = data
        self.metadata = metadata
        self.contentType = contentType
    }
}

/// The app's answer to one input event.
public struct Acknowledgement: Sendable {
    public enum Kind: Sendable { case ack, retry, drop }
    public var deliveryID: UInt64
    public var kind: Kind
    /// The app's response body.
    public var response: [UInt8]
    /// For a nack: why the delivery failed.
    public var error: String?

    public init(deliveryID: UInt64, kind: Kind, response: [UInt8] = [], error: String? = nil) {
        self.deliveryID = deliveryID
        self.kind = kind
        self.response = response
        self.error = error
    }
}
