import DriverKit
import PluginABI

/// Placeholder until the driver lands.
final class MQTTDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.mqtt3", version: "0.0.1", summary: "not implemented yet", directions: [.input, .output])

    init(configuration: DriverConfiguration, host: DriverHost) throws {
        throw DriverError(.unsupported, "bindings.mqtt3 is not implemented yet")
    }
}

/// The driver this library exports (Plugins/mqtt3/Entry).
public let exportedDriver: any BindingDriver.Type = MQTTDriver.self
