import DriverKit
import PluginABI

/// Placeholder until the driver lands.
final class LocalStorageDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.localstorage", version: "0.0.1", summary: "not implemented yet", directions: [.output])

    init(configuration: DriverConfiguration, host: DriverHost) throws {
        throw DriverError(.unsupported, "bindings.localstorage is not implemented yet")
    }
}

/// The driver this library exports (Plugins/localstorage/Entry).
public let exportedDriver: any BindingDriver.Type = LocalStorageDriver.self
