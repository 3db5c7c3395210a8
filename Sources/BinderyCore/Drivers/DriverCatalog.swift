/// The drivers the core may use, one per type, and where they were looked for.
package struct DriverCatalog: Sendable {
    package var drivers: [AvailableDriver]
    /// The folders searched, in order (for error messages).
    package var searchPath: [String]

    package init(drivers: [AvailableDriver] = [], searchPath: [String] = []) {
        self.drivers = drivers
        self.searchPath = searchPath
    }

    package func driver(for type: String) -> AvailableDriver? { drivers.first { $0.descriptor.type == type } }
}

/// One driver that can serve components: its endpoint and where it came from.
package struct AvailableDriver: Sendable {
    /// A file, a socket: shown in logs and `/v1.0/metadata`.
    package let origin: String
    package let endpoint: any DriverEndpoint

    package init(origin: String, endpoint: any DriverEndpoint) {
        self.origin = origin
        self.endpoint = endpoint
    }

    package var descriptor: DriverDescriptor { endpoint.descriptor }
}

/// Finds the drivers available now: the drivers path for in-process drivers. The Reloader asks
/// again when a watched drivers folder changes.
package protocol DriverDiscovery: Sendable {
    /// The folders to watch for driver changes.
    var watchedPaths: [String] { get }
    /// Scans again. What was serving and is now incomplete (a file being written) stays in.
    func rescan(previous: DriverCatalog) -> DriverCatalog
    /// Driver images kept loaded (never unloaded) since start.
    var retainedImages: Int { get }
}
