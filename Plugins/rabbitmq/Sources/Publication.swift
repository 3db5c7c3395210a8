import DriverKit

/// One message to publish, with the AMQP properties Dapr's binding gives it.
///
/// As Dapr: the message is persistent (delivery mode 2); every request metadata entry also
/// travels as a string header; `ttlInSeconds`/`ttl` set the per-message expiration in
/// milliseconds, `priority` the priority (clamped to 0–255), and `contentType`, `messageID`,
/// `correlationID` and `type` (matched case-insensitively) the properties of those names.
struct Publication: Sendable {
    static let maximumBodySize = 134_217_728  // RabbitMQ's max_message_size default, 128 MiB

    var body: [UInt8]
    var contentType: String
    var expiration: String?
    var priority: Int32 = -1
    var messageID: String?
    var correlationID: String?
    var type: String?
    var headers: [(key: String, value: String)]

    /// Reads `request`; errors are Dapr's words, prefixed with the component.
    init(_ request: InvokeRequest, component: String, defaultContentType: String) throws(DriverError) {
        guard request.data.count <= Publication.maximumBodySize else {
            throw DriverError(
                .invalidArgument,
                "\(component): message of \(request.data.count) bytes exceeds RabbitMQ's maximum message size of "
                    + "\(Publication.maximumBodySize) bytes (max_message_size)")
        }
        body = request.data
        headers = request.metadata.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        let metadata = request.metadata
        if let text = Publication.value(metadata, exactly: "ttl", "ttlInSeconds") {
            do {
                expiration = String(try DaprTTL.parse(text).nanoseconds / 1_000_000)
            } catch {
                throw DriverError(.invalidArgument, "\(component): failed to get TTL: \(error)")
            }
        }
        if let text = metadata["priority"], !text.isEmpty {
            guard let value = Int(text) else {
                throw DriverError(
                    .invalidArgument, "\(component): priority value must be a valid integer: actual is '\(text)'")
            }
            priority = Int32(min(max(value, 0), 255))
        }
        contentType = Publication.value(metadata, caseInsensitive: "contentType") ?? defaultContentType
        messageID = Publication.value(metadata, caseInsensitive: "messageID")
        correlationID = Publication.value(metadata, caseInsensitive: "correlationID")
        type = Publication.value(metadata, caseInsensitive: "type")
    }

    /// Dapr's GetMetadataProperty: the first of `keys` present, compared case-insensitively.
    private static func value(_ metadata: [String: String], exactly keys: String...) -> String? {
        for key in keys {
            if let found = metadata.first(where: { $0.key.lowercased() == key.lowercased() }), !found.value.isEmpty {
                return found.value
            }
        }
        return nil
    }

    /// Dapr's TryGetProperty: an exact match first, then any key equal ignoring case; empty values skipped.
    private static func value(_ metadata: [String: String], caseInsensitive key: String) -> String? {
        if let value = metadata[key], !value.isEmpty { return value }
        return metadata.sorted { $0.key < $1.key }.first {
            $0.key.lowercased() == key.lowercased() && !$0.value.isEmpty
        }?
        .value
    }
}
