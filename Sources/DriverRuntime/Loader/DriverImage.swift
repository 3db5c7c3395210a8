import BinderyCore
import PluginABI

/// A driver library mapped into the host, for good. Many instances may be created from it,
/// concurrently; it is shared by every file with the same content.
package final class DriverImage: DriverEndpoint {
    /// The driver's table: static data in the driver, valid and immutable for the life of the
    /// process because images are never unloaded.
    package nonisolated(unsafe) let api: UnsafePointer<bd_driver_api>
    package let descriptor: DriverDescriptor
    package let sha256: String
    let abiMinor: UInt16

    package init(api: UnsafePointer<bd_driver_api>, descriptor: DriverDescriptor, sha256: String, abiMinor: UInt16) {
        self.api = api
        self.descriptor = descriptor
        self.sha256 = sha256
        self.abiMinor = abiMinor
    }

    package var abiVersion: String { "\(BD_ABI_MAJOR).\(abiMinor)" }

    package func create(_ spec: ComponentSpec) throws(RuntimeError) -> any DriverInstance {
        try InProcessInstance.create(self, spec)
    }
}

/// A driver file and the image loaded from it.
package struct LoadedDriver: Sendable {
    package let file: String
    package let image: DriverImage
    package var descriptor: DriverDescriptor { image.descriptor }

    /// The driver as the core sees it.
    package var available: AvailableDriver { AvailableDriver(origin: file, endpoint: image) }
}
