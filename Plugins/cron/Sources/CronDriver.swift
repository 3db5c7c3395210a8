import DriverKit
import PluginABI

/// Placeholder until the driver lands.
final class CronDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.cron", version: "0.0.1", summary: "not implemented yet", directions: [.input])

    init(configuration: DriverConfiguration, host: DriverHost) throws {
        throw DriverError(.unsupported, "bindings.cron is not implemented yet")
    }
}

/// The driver this library exports (Plugins/cron/Entry).
public let exportedDriver: any BindingDriver.Type = CronDriver.self
