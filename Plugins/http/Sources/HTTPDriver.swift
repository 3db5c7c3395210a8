import DriverKit
import PluginABI

/// Placeholder until the driver lands.
final class HTTPDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.http", version: "0.0.1", summary: "not implemented yet", directions: [.output])

    init(configuration: DriverConfiguration, host: DriverHost) throws {
        throw DriverError(.unsupported, "bindings.http is not implemented yet")
    }
}

@_cdecl("bd_driver_entry")
public func driverEntry(
    _ host: UnsafePointer<bd_host_api>?, _ io: UnsafeMutablePointer<bd_negotiation>?,
    _ api: UnsafeMutablePointer<UnsafePointer<bd_driver_api>?>?,
    _ error: UnsafeMutablePointer<bd_error_buf>?
) -> bd_status {
    DriverExport.entry(HTTPDriver.self, host: host, negotiation: io, api: api, error: error)
}
