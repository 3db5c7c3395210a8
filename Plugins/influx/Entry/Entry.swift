// bd_driver_entry, kept out of InfluxDriver so the test binary can link every driver module.
import DriverKit
import InfluxDriver

// swift-format-ignore
@_cdecl("bd_driver_entry") public func entry(_ h: OpaquePointer?, _ n: OpaquePointer?, _ a: OpaquePointer?, _ e: OpaquePointer?) -> Int32 { DriverExport.entry(exportedDriver, h, n, a, e) }
