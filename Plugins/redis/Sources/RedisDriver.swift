import DriverKit
import PluginABI

/// Placeholder until the driver lands.
final class RedisDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.redis", version: "0.0.1", summary: "not implemented yet", directions: [.output])

    init(configuration: DriverConfiguration, host: DriverHost) throws {
        throw DriverError(.unsupported, "bindings.redis is not implemented yet")
    }
}

/// The driver this library exports (Plugins/redis/Entry).
public let exportedDriver: any BindingDriver.Type = RedisDriver.self
