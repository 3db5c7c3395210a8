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

    /// One event as `init(_:)`'s closure receives it.
    public struct Event: Sendable {
        public let deliveryID: UInt64
        public let data: [UInt8]
        public let metadata: [String: String]
        public let contentType: String
    }

    private enum Backing: Sendable {
        case host(HostTable, HostHandle)
        case local(@Sendable (Event) -> Outcome)
    }

    private let backing: Backing
    private let nextDeliveryID = Atomic<UInt64>(1)
    private let credit = Atomic<Int>(Int.max)

    /// How many emitted events may wait for their acknowledgement at once (the host's
    /// `max_unacked`); beyond it `emit` answers `.busy`. A source that can fetch ahead (a
    /// prefetch count, a consumer window) sizes it from this.
    public var maxUnacked: Int { credit.load(ordering: .relaxed) }

    func setMaxUnacked(_ value: Int) { credit.store(max(1, value), ordering: .relaxed) }

    init(table: HostTable, context: HostHandle) {
        backing = .host(table, context)
    }

    /// A sink that hands each event to `receive` instead of a host: for tests and tools that
    /// run a driver without bindery. `receive` answers as the host would (`.accepted` with the
    /// event's delivery id, `.busy`, `.stopped`); acknowledge accepted events on the driver.
    public init(maxUnacked: Int = .max, _ receive: @escaping @Sendable (Event) -> Outcome) {
        backing = .local(receive)
        setMaxUnacked(maxUnacked)
    }

    /// Emits one event: `data` is POSTed to the app, `metadata` becomes request headers.
    @discardableResult
    public func emit(
        _ data: [UInt8], metadata: [String: String] = [:], contentType: String = ""
    ) -> Outcome {
        let id = nextDeliveryID.wrappingAdd(1, ordering: .relaxed).oldValue
        guard case .host(let table, let context) = backing else {
            guard case .local(let receive) = backing else { return .stopped }
            return receive(Event(deliveryID: id, data: data, metadata: metadata, contentType: contentType))
        }
        guard let emit = table.api.pointee.emit_event else { return .stopped }
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
