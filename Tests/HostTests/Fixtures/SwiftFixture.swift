// A Swift test driver, "bindings.swiftfixture", built by the tests with swiftc from this file and
// Sources/DriverKit. Operations: echo (response), none (no response), fail (error with
// metadata), acks (what the app answered so far), credit (the max_unacked input was given).
// Input emits `events` events, then stops.
import DriverKit
import PluginABI
import Synchronization

final class SwiftFixture: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.swiftfixture", version: "2.1.0", summary: "A Swift test driver.",
        directions: [.input, .output], operations: ["echo", "none", "fail", "acks", "credit"],
        fields: [MetadataField("events", default: "3", description: "How many events to emit.")])

    private let events: Int
    private let host: DriverHost
    private let counts = Mutex((acked: 0, nacked: 0))
    private let emitter = Mutex<Task<Void, Never>?>(nil)
    private let credit = Mutex(0)

    init(configuration: DriverConfiguration, host: DriverHost) throws {
        guard let events = Int(configuration.value("events") ?? "3"), events >= 0 else {
            throw DriverError(
                .invalidArgument, "events must be a whole number, got \"\(configuration.metadata["events"] ?? "")\"")
        }
        self.events = events
        self.host = host
    }

    func start() async throws {
        host.log(.info, "swift fixture started")
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        switch request.operation {
        case "echo":
            return InvokeResponse(data: request.data, metadata: ["op": "echo"])
        case "fail":
            throw DriverError(.invalidArgument, "swift fixture failure as requested", metadata: ["reason": "asked"])
        case "acks":
            let (acked, nacked) = counts.withLock { ($0.acked, $0.nacked) }
            return InvokeResponse(data: Array("acked=\(acked) nacked=\(nacked)".utf8), contentType: "text/plain")
        case "credit":
            return InvokeResponse(data: Array("\(credit.withLock { $0 })".utf8))
        default:
            return nil
        }
    }

    func startInput(_ sink: EventSink) async throws {
        let total = events
        credit.withLock { $0 = sink.maxUnacked }
        let task = Task {
            var next = 0
            while next < total, !Task.isCancelled {
                switch sink.emit(Array("{\"n\":\(next)}".utf8), metadata: ["seq": "\(next)"]) {
                case .accepted: next += 1
                case .busy: try? await Task.sleep(for: .milliseconds(1))
                case .stopped: return
                }
            }
        }
        emitter.withLock { $0 = task }
    }

    func acknowledge(_ acknowledgement: Acknowledgement) {
        counts.withLock {
            if acknowledgement.kind == .ack { $0.acked += 1 } else { $0.nacked += 1 }
        }
    }

    func stop() async {
        let task = emitter.withLock { $0 }
        task?.cancel()
        await task?.value
    }
}

@_cdecl("bd_driver_entry")
public func driverEntry(
    _ host: UnsafePointer<bd_host_api>?, _ io: UnsafeMutablePointer<bd_negotiation>?,
    _ api: UnsafeMutablePointer<UnsafePointer<bd_driver_api>?>?,
    _ error: UnsafeMutablePointer<bd_error_buf>?
) -> bd_status {
    DriverExport.entry(SwiftFixture.self, host: host, negotiation: io, api: api, error: error)
}
