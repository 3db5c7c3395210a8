import PluginABI

extension DriverExport {
    /// `bd_driver_entry` with untyped pointers, so that a driver's Entry module is one line:
    ///
    /// ```swift
    /// @_cdecl("bd_driver_entry") public func entry(_ h: OpaquePointer?, _ n: OpaquePointer?, _ a: OpaquePointer?, _ e: OpaquePointer?) -> Int32 { DriverExport.entry(MyDriver.self, h, n, a, e) }
    /// ```
    /// The arguments are, in order, `const bd_host_api*`, `bd_negotiation*`,
    /// `const bd_driver_api**` and `bd_error_buf*` (see bindery_driver.h).
    public static func entry(
        _ driverType: any BindingDriver.Type, _ host: OpaquePointer?, _ negotiation: OpaquePointer?,
        _ api: OpaquePointer?, _ error: OpaquePointer?
    ) -> Int32 {
        entry(
            driverType,
            host: UnsafeRawPointer(host)?.assumingMemoryBound(to: bd_host_api.self),
            negotiation: UnsafeMutableRawPointer(negotiation)?.assumingMemoryBound(to: bd_negotiation.self),
            api: UnsafeMutableRawPointer(api)?.assumingMemoryBound(to: UnsafePointer<bd_driver_api>?.self),
            error: UnsafeMutableRawPointer(error)?.assumingMemoryBound(to: bd_error_buf.self))
    }
}
