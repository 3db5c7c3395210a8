// The one symbol the host looks for. Kept apart from the driver module so that tests can link
// every driver module into one binary.
import DriverKit
import PluginABI
import MQTTDriver

@_cdecl("bd_driver_entry")
public func driverEntry(
    _ host: UnsafePointer<bd_host_api>?, _ io: UnsafeMutablePointer<bd_negotiation>?,
    _ api: UnsafeMutablePointer<UnsafePointer<bd_driver_api>?>?,
    _ error: UnsafeMutablePointer<bd_error_buf>?
) -> bd_status {
    DriverExport.entry(exportedDriver, host: host, negotiation: io, api: api, error: error)
}
