import CRabbitMQ
import DriverKit

/// Frames the broker sends on an open session (connection thread).
extension AMQPConnection {
    /// Handles one frame; returns why the session must end, if it must.
    func handle(
        _ frame: amqp_frame_t, _ session: AMQPSession, _ confirms: inout ConfirmQueue,
        _ assembly: inout Delivery.Assembly?
    ) -> String? {
        switch Int32(frame.frame_type) {
        case AMQP_FRAME_METHOD:
            return method(frame.payload.method, session, &confirms, &assembly)
        case AMQP_FRAME_HEADER:
            guard var current = assembly,
                let properties = withUnsafePointer(to: frame, { bd_amqp_frame_properties($0) })
            else { return nil }
            current.header(bodySize: Int(frame.payload.properties.body_size), metadata: headers(properties.pointee))
            finish(current, session, &assembly)
        case AMQP_FRAME_BODY:
            guard var current = assembly else { return nil }
            let fragment = frame.payload.body_fragment
            if let bytes = fragment.bytes, fragment.len > 0 {
                current.body.append(
                    contentsOf: UnsafeRawBufferPointer(start: bytes, count: Int(fragment.len)).bindMemory(
                        to: UInt8.self))
            }
            finish(current, session, &assembly)
        default: break  // heartbeats are answered inside librabbitmq
        }
        return nil
    }

    private func finish(_ current: Delivery.Assembly, _ session: AMQPSession, _ assembly: inout Delivery.Assembly?) {
        guard current.isComplete else {
            assembly = current
            return
        }
        assembly = nil
        consumer?.received(current.delivery, on: session)
    }

    private func method(
        _ method: amqp_method_t, _ session: AMQPSession, _ confirms: inout ConfirmQueue,
        _ assembly: inout Delivery.Assembly?
    ) -> String? {
        guard let decoded = method.decoded else { return nil }
        switch method.id {
        case bd_amqp_basic_deliver():
            let deliver = decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            assembly = Delivery.Assembly(tag: deliver.delivery_tag, redelivered: deliver.redelivered != 0)
        case bd_amqp_basic_ack():
            let ack = decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            for completion in confirms.take(upTo: ack.delivery_tag, multiple: ack.multiple != 0) {
                completion(.success(nil))
            }
        case bd_amqp_basic_nack():
            let nack = decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            for completion in confirms.take(upTo: nack.delivery_tag, multiple: nack.multiple != 0) {
                completion(
                    .failure(
                        DriverError(
                            .unavailable,
                            "\(component): failed to publish message: RabbitMQ refused it (basic.nack: an internal "
                                + "error in the queue)", retryable: true)))
            }
        case bd_amqp_channel_close(), bd_amqp_connection_close():
            var buffer = [CChar](repeating: 0, count: 512)
            bd_amqp_describe_close(method, &buffer, buffer.count)
            return String(cString: buffer)
        case bd_amqp_basic_cancel():
            return "the broker cancelled the consumer (queue \"\(target.settings.queueName)\" deleted?)"
        case bd_amqp_connection_blocked():
            log(.warn, "\(component): RabbitMQ blocked publishing (a resource alarm); publishes wait")
        case bd_amqp_connection_unblocked():
            log(.info, "\(component): RabbitMQ unblocked publishing")
        default: break
        }
        return nil
    }

    /// The string-valued headers of a delivery, keys escaped as Dapr escapes them.
    private func headers(_ properties: amqp_basic_properties_t) -> [String: String] {
        guard properties._flags & UInt32(AMQP_BASIC_HEADERS_FLAG) != 0 else { return [:] }
        var metadata: [String: String] = [:]
        var key = amqp_bytes_t()
        var value = amqp_bytes_t()
        withUnsafePointer(to: properties) { pointer in
            for index in 0..<properties.headers.num_entries
            where bd_amqp_string_header(pointer, index, &key, &value) != 0 {
                metadata[Delivery.queryEscape(text(key))] = text(value)
            }
        }
        return metadata
    }

    private func text(_ bytes: amqp_bytes_t) -> String {
        guard let start = bytes.bytes, bytes.len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: start, count: bytes.len), as: UTF8.self)
    }
}
