import BinderyCore
import BinderySystem
import Synchronization

/// The drivers path as the core's `DriverDiscovery`: scans it with the Loader, and keeps a
/// serving driver whose file is now incomplete or invalid (being written, or truncated) until
/// the file is complete and valid again.
package final class InProcessDiscovery: DriverDiscovery {
    package let loader: Loader
    package let searchPath: [String]
    /// Incomplete driver files already reported, by "file reason".
    private let reported = Mutex<Set<String>>([])

    package init(loader: Loader, searchPath: [String]) {
        self.loader = loader
        self.searchPath = searchPath
    }

    package var watchedPaths: [String] { searchPath }
    package var retainedImages: Int { loader.retainedImages }

    /// The first scan, logging every refused file.
    package func scan() -> DriverCatalog {
        let scan = DriverScan.scan(searchPath, loader: loader)
        for rejection in scan.rejected { Log.warn("driver \(rejection.file) not used: \(rejection.reason)") }
        return scan.catalog
    }

    package func rescan(previous: DriverCatalog) -> DriverCatalog {
        let started = ContinuousClock.now
        var scan = DriverScan.scan(searchPath, loader: loader)
        let scanTime = Log.milliseconds(ContinuousClock.now - started)
        var catalog = scan.catalog
        for rejection in scan.rejected where rejection.code == .invalidFile || rejection.code == .unreadable {
            guard let old = previous.drivers.first(where: { $0.origin == rejection.file }),
                catalog.driver(for: old.descriptor.type) == nil
            else { continue }
            catalog.drivers.append(old)
            let first = reported.withLock { $0.insert("\(rejection.file) \(rejection.reason)").inserted }
            if first {
                Log.warn(
                    "driver \(rejection.file) is incomplete or invalid (\(rejection.reason)); \(old.descriptor.type) \(old.descriptor.driverVersion) keeps serving until the file is complete"
                )
            }
        }
        scan.rejected.removeAll { $0.code == .invalidFile || $0.code == .unreadable }
        for rejection in scan.rejected { Log.warn("driver \(rejection.file) not used: \(rejection.reason)") }
        for driver in scan.drivers where !previous.drivers.contains(where: { $0.endpoint === driver.image }) {
            Log.info(
                "driver \(driver.file) loaded: \(driver.descriptor.type) \(driver.descriptor.driverVersion) (sha256 \(driver.image.sha256.prefix(12)), verify+copy+load of the drivers path \(scanTime), \(loader.retainedImages) images retained)"
            )
        }
        return catalog
    }
}
