import CRdKafka
import DriverKit

/// One librdkafka client handle (`rd_kafka_t`), created from `KafkaSettings.properties(for:)`.
///
/// librdkafka runs its own broker threads; the handle is thread-safe for produce, poll, commit
/// and metadata (librdkafka's INTRODUCTION.md, "Threads and callbacks"), which is why this
/// wrapper is `@unchecked Sendable`: it holds only the pointer and destroys it once, in deinit.
final class KafkaClient: @unchecked Sendable {
    let raw: OpaquePointer
    let settings: KafkaSettings
    /// Referenced by the C callbacks through the configuration's opaque pointer: released only
    /// after `rd_kafka_destroy` (deinit's body runs before stored properties are released).
    let events: ClientEvents

    /// Creates the client. `configure` may add callbacks to the configuration before it is
    /// handed over. Throws naming the component and property when librdkafka refuses a value
    /// (secrets are never quoted), or with librdkafka's reason when it cannot create the client
    /// (a PEM that does not parse, for one).
    init(
        _ settings: KafkaSettings, role: KafkaSettings.Role, events: ClientEvents,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws {
        self.settings = settings
        self.events = events
        guard let conf = rd_kafka_conf_new() else {
            throw DriverError(.internalError, "\(settings.component): librdkafka cannot allocate a configuration")
        }
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in settings.properties(for: role) {
            guard rd_kafka_conf_set(conf, name, value, &errorText, errorText.count) == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                let shown = KafkaSettings.secretProperties.contains(name) ? "(sensitive, not shown)" : "\"\(value)\""
                throw DriverError(
                    .invalidArgument,
                    "\(settings.component): librdkafka refuses \(name)=\(shown): \(Self.text(errorText))")
            }
        }
        events.install(on: conf)
        configure(conf)
        // rd_kafka_new takes the configuration on success only.
        guard
            let client = rd_kafka_new(
                role == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf, &errorText, errorText.count)
        else {
            rd_kafka_conf_destroy(conf)
            throw DriverError(
                .invalidArgument, "\(settings.component): cannot create the Kafka client: \(Self.text(errorText))")
        }
        raw = client
    }

    deinit {
        rd_kafka_destroy(raw)
    }

    /// Asks the cluster for its metadata (blocking up to `timeoutMilliseconds`): nil when a
    /// broker answered, else why not. Called on driver threads and in start, never on host threads.
    func probe(timeoutMilliseconds: Int32) -> String? {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let status = rd_kafka_metadata(raw, 0, nil, &metadata, timeoutMilliseconds)
        if let metadata { rd_kafka_metadata_destroy(metadata) }
        return status == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : Self.describe(status)
    }

    /// The NUL-terminated text librdkafka wrote into `buffer`.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// librdkafka's text for `error`.
    static func describe(_ error: rd_kafka_resp_err_t) -> String {
        String(cString: rd_kafka_err2str(error))
    }

    /// "librdkafka 2.0.2", for logs.
    static var version: String { "librdkafka " + String(cString: rd_kafka_version_str()) }
}
