import CRdKafka
import DriverKit

/// One consumed record, copied out of librdkafka's message, with the metadata Dapr hands the
/// app (common/component/kafka/consumer.go GetEventMetadata): `__key` (when the record has a
/// key), `__topic`, `__partition`, `__offset`, `__timestamp` (Unix milliseconds) and each
/// record header, values URL-query-escaped when `escapeHeaders` is true.
struct KafkaRecord: Sendable {
    let topic: String
    let partition: Int32
    let offset: Int64
    let value: [UInt8]
    let metadata: [String: String]

    /// Reads the message at `pointer` (librdkafka's own pointer: the timestamp and headers
    /// live in the structure around it, so a copy of the struct would not do).
    init(_ pointer: UnsafePointer<rd_kafka_message_t>, escape: Bool, filter: HeaderFilter?) {
        let message = pointer.pointee
        topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        partition = message.partition
        offset = message.offset
        value = message.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: message.len)) } ?? []
        let text = { (text: String) in escape ? Self.queryEscaped(text) : text }
        var metadata: [String: String] = [:]
        if let key = message.key {
            metadata["__key"] = text(
                String(decoding: UnsafeRawBufferPointer(start: key, count: message.key_len), as: UTF8.self))
        }
        metadata["__offset"] = String(message.offset)
        metadata["__topic"] = topic
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        metadata["__timestamp"] = String(rd_kafka_message_timestamp(pointer, &timestampType))
        var headers: OpaquePointer?
        if rd_kafka_message_headers(pointer, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR {
            var index = 0
            var name: UnsafePointer<CChar>?
            var bytes: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(headers, index, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                index += 1
                guard let name else { continue }
                let key = String(cString: name)
                if filter?.excludes(key) == true { continue }
                let value = bytes.map {
                    String(decoding: UnsafeRawBufferPointer(start: $0, count: size), as: UTF8.self)
                }
                metadata[key] = text(value ?? "")
            }
        }
        metadata["__partition"] = String(message.partition)
        self.metadata = metadata
    }

    /// What the record holds in memory, roughly: value, metadata names and values.
    var footprint: Int { metadata.reduce(value.count) { $0 + $1.key.utf8.count + $1.value.utf8.count } }

    /// Go's url.QueryEscape: letters, digits and `-_.~` stay, a space is `+`, every other byte %XX.
    static func queryEscaped(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): escaped += "+"
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                escaped += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return escaped
    }
}
