import DriverKit

/// One `create` request as a Kafka record, built as Dapr's Publish builds it
/// (common/component/kafka/producer.go): the request metadata `partitionKey` (or `__key`) is
/// the key, `partitionNumber` picks the partition, and every request metadata entry, those
/// included, is also sent as a record header unless `excludeHeaderMetaRegex` matches its name.
/// Data `null` (or none) is a tombstone: a record with a null value.
///
/// Beyond Dapr (issue 11): a request `topic` replaces `publishTopic` for this record, and a
/// request `key` is the key when neither `partitionKey` nor `__key` is given. Dapr's binding
/// always publishes to `publishTopic` and sends both only as headers; they still go out as
/// headers here too, so a consumer sees the same headers either way.
struct OutgoingMessage: Sendable {
    let topic: String
    let key: [UInt8]?
    /// -1: the partitioner chooses (by key hash).
    let partition: Int32
    /// Nil: a tombstone.
    let value: [UInt8]?
    /// Sorted by name: Dapr sends them in Go's random map order, any order is faithful.
    let headers: [(name: String, value: String)]

    init(_ request: InvokeRequest, settings: KafkaSettings) throws {
        let component = settings.component
        guard request.operation == "create" else {
            throw DriverError(
                .unsupported,
                "binding \(component) does not support operation \(request.operation). supported operations:create")
        }
        let requested = request.metadata["topic"].flatMap { $0.isEmpty ? nil : $0 }
        guard let topic = requested ?? settings.publishTopic else {
            throw DriverError(
                .invalidArgument,
                "\(component): metadata \"publishTopic\" (or request metadata \"topic\") is required to publish (operation create)"
            )
        }
        self.topic = topic
        if let schema = request.metadata["valueSchemaType"] {
            switch schema.lowercased() {
            case "none": break
            case "avro":
                throw DriverError(
                    .invalidArgument,
                    "\(component): valueSchemaType Avro needs a schema registry, which bindery's kafka binding does not support"
                )
            default:
                throw DriverError(
                    .invalidArgument, "error parsing schema type. '\(schema)' is not a supported value")
            }
        }
        // Sorted, so `partitionKey` overrides `__key` when both are given; `key` only fills in.
        var key = request.metadata["key"].map { Array($0.utf8) }
        var partition: Int32 = -1
        var headers: [(name: String, value: String)] = []
        for (name, value) in request.metadata.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "partitionKey", "__key": key = Array(value.utf8)
            case "partitionNumber": partition = try Self.partitionNumber(value)
            default: break
            }
            if settings.headerFilter?.excludes(name) == true { continue }
            headers.append((name, value))
        }
        self.key = key
        self.partition = partition
        self.headers = headers
        let data = request.data
        value = data.isEmpty || data == Array("null".utf8) ? nil : data
        let size = size
        guard size <= settings.maxMessageBytes else {
            throw DriverError(
                .invalidArgument,
                "\(component): message of \(size) bytes (value, key and headers) exceeds maxMessageBytes (\(settings.maxMessageBytes)); not sent to topic \"\(topic)\""
            )
        }
    }

    /// What counts against `maxMessageBytes`: value, key, header names and values.
    var size: Int {
        (value?.count ?? 0) + (key?.count ?? 0) + headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
    }

    /// Dapr's parsePartitionNumber: a non-negative 32-bit decimal.
    private static func partitionNumber(_ text: String) throws -> Int32 {
        guard let number = Int32(text) else {
            throw DriverError(.invalidArgument, "invalid partitionNumber metadata value \"\(text)\"")
        }
        guard number >= 0 else {
            throw DriverError(.invalidArgument, "partitionNumber must be non-negative, got \(number)")
        }
        return number
    }
}
