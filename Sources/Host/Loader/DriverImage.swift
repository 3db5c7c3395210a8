import PluginABI

/// A driver library mapped into the host, for good. Many instances may be created from it,
/// concurrently; it is shared by every file with the same content.
final class DriverImage: Sendable {
    /// The driver's table: static data in the driver, valid and immutable for the life of the
    /// process because images are never unloaded.
    nonisolated(unsafe) let api: UnsafePointer<bd_driver_api>
    let descriptor: DriverDescriptor
    let sha256: String
    let abiMinor: UInt16

    init(api: UnsafePointer<bd_driver_api>, descriptor: DriverDescriptor, sha256: String, abiMinor: UInt16) {
        self.api = api
        self.descriptor = descriptor
        self.sha256 = sha256
        self.abiMinor = abiMinor
    }

    var abiVersion: String { "\(BD_ABI_MAJOR).\(abiMinor)" }
}

/// A driver file and the image loaded from it.
struct LoadedDriver: Sendable {
    let file: String
    let image: DriverImage
    var descriptor: DriverDescriptor { image.descriptor }
}
