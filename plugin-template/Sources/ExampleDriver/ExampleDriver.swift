import DriverKit
import PluginABI
import Synchronization

/// `bindings.example`: output operations `echo` and `upper`; input emits a tick every
/// `intervalMs` milliseconds. Replace it with your binding.
final class ExampleDriver: BindingDriver {
    /// The metadata names, each written once (as in metadata.yaml).
    enum Key: String, MetadataKey { case prefix, intervalMs }

    static let descriptor = DriverDescriptor(
        type: "bindings.example",
        version: "1.0.0",
        summary: "Echoes data back, upper-cases text, and emits a tick every intervalMs.",
        directions: [.input, .output],
        operations: ["echo", "upper"],
        inputMayOverlap: false,
        fields: [
            MetadataField(Key.prefix, default: "example", description: "Returned as metadata.prefix on echo."),
            MetadataField(Key.intervalMs, .int, default: "1000", description: "Milliseconds between input ticks."),
        ])

    private let prefix: String
    private let interval: Duration
    private let host: DriverHost
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    /// Reads and checks the configuration with Dapr's rules (keys in any case, declared
    /// defaults, typed values; errors name the component and field and quote the value). No I/O
    /// here: the host may create an instance it never starts.
    init(configuration: DriverConfiguration, host: DriverHost) throws {
        let metadata = ComponentMetadata(configuration, fields: Self.descriptor.fields)
        self.prefix = metadata.string(Key.prefix) ?? "example"
        self.interval = .milliseconds(try metadata.int(Key.intervalMs, range: 1...86_400_000) ?? 1000)
        self.host = host
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        switch request.operation {
        case "echo":
            return InvokeResponse(data: request.data, metadata: ["prefix": prefix])
        case "upper":
            let text = String(decoding: request.data, as: UTF8.self).uppercased()
            return InvokeResponse(data: Array(text.utf8))
        default:
            throw DriverError(.unsupported, "operation \"\(request.operation)\" is not supported")
        }
    }

    func startInput(_ events: EventSink) async throws {
        let interval = self.interval
        let task = Task {
            var tick = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                if case .accepted = events.emit(Array("{\"tick\":\(tick)}".utf8)) { tick += 1 }
            }
        }
        ticker.withLock { $0 = task }
    }

    func acknowledge(_ acknowledgement: Acknowledgement) {
        if acknowledgement.kind != .ack {
            host.log(.warn, "tick \(acknowledgement.deliveryID) failed: \(acknowledgement.error ?? "no reason")")
        }
    }

    /// Stops the ticker and waits for it: nothing of this instance may run after stop.
    func stop() async {
        let task = ticker.withLock { $0 }
        task?.cancel()
        await task?.value
    }
}

/// The one symbol the host looks for.
@_cdecl("bd_driver_entry")
public func driverEntry(
    _ host: UnsafePointer<bd_host_api>?, _ io: UnsafeMutablePointer<bd_negotiation>?,
    _ api: UnsafeMutablePointer<UnsafePointer<bd_driver_api>?>?,
    _ error: UnsafeMutablePointer<bd_error_buf>?
) -> bd_status {
    DriverExport.entry(ExampleDriver.self, host: host, negotiation: io, api: api, error: error)
}
