import PluginABI
import Synchronization

/// Hands input events to the host. Each accepted event gets exactly one `acknowledge` call.
public final class EventSink: Sendable {
    /// What became of an emitted event.
    public enum Outcome: Sendable, Equatable {
        /// The host took the event; `acknowledge` will be called with this delivery id.
        case accepted(deliveryID: UInt64)
        /// Too many events wait for their ack: keep this one and emit it again after an ack.
        case busy
        /// Input is stopping: drop nothing, emit nothing more.
        case stopped
    }

    private let table: HostTable
    private let context: HostHandle
    private let nextDeliveryID = Atomic<UInt64>(1)

    init(table: HostTable, context: HostHandle) {
        self.table = table
        self.context = context
    }

    /// Emits one event: `data` is POSTed to the app, `metadata` becomes request headers.
    @discardableResult
    public func emit(
        _ data: [UInt8], metadata: [String: String] = [:], contentType: String = ""
    ) -> Outcome {
        guard let emit = table.api.pointee.emit_event else { return .stopped }
        let id = nextDeliveryID.wrappingAdd(1, ordering: .relaxed).oldValue
        let status = withBytes(data) { bytes in
            withKVList(metadata) { list in
                withStr(contentType) { type in
                    var event = bd_input_event(
                        struct_size: UInt32(MemoryLayout<bd_input_event>.size), delivery_id: id,
                        data: bytes, metadata: list, content_type: type)
                    return emit(context.raw, &event)
                }
            }
        }
        switch status {
        case BD_OK: return .accepted(deliveryID: id)
        case BD_E_BUSY: return .busy
        default: return .stopped
        }
    }
}
