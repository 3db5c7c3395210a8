import Synchronization

/// Hot reload: watches the resources and drivers paths and, after each settled burst of
/// changes, re-reads what changed and hands the registry the new desired set. Reloads run one
/// at a time; changes that arrive during one are applied by the next.
final class Reloader: Sendable {
    private struct State {
        var pendingComponents = false
        var pendingDrivers = false
        var running = false
        var stopped = false
        var runner: Task<Void, Never>?
        var components: [Component]
        var brokenFiles: [String: String]
        /// Incomplete driver files already reported, by "file size".
        var reportedIncomplete: Set<String> = []
    }

    let options: RunOptions
    let registry: Registry
    let loader: Loader
    let driverPaths: [String]
    private let watcher = FileWatchers.make()
    private let state: Mutex<State>

    init(options: RunOptions, registry: Registry, loader: Loader, manifest: ManifestSet) {
        self.options = options
        self.registry = registry
        self.loader = loader
        self.driverPaths = DriverCatalog.searchPath(flags: options.driversPaths)
        state = Mutex(State(components: manifest.components, brokenFiles: Self.brokenFiles(manifest)))
    }

    func start() {
        let resources = Set(options.resourcesPaths), drivers = Set(driverPaths)
        watcher.start(Array(resources.union(drivers))) { [self] changed in
            trigger(components: !changed.isDisjoint(with: resources), drivers: !changed.isDisjoint(with: drivers))
        }
        Log.info("watching \(resources.count) resources and \(drivers.count) drivers folders for changes")
    }

    /// Stops watching and waits for a reload in progress, so nothing changes during shutdown.
    func stop() async {
        watcher.stop()
        let runner = state.withLock { state -> Task<Void, Never>? in
            state.stopped = true
            return state.runner
        }
        await runner?.value
    }

    private func trigger(components: Bool, drivers: Bool) {
        state.withLock { state in
            state.pendingComponents = state.pendingComponents || components
            state.pendingDrivers = state.pendingDrivers || drivers
            guard !state.running, !state.stopped else { return }
            state.running = true
            state.runner = Task { await self.run() }
        }
    }

    private func run() async {
        while true {
            let work = state.withLock { state -> (Bool, Bool)? in
                guard state.pendingComponents || state.pendingDrivers, !state.stopped else {
                    state.running = false
                    return nil
                }
                defer { state.pendingComponents = false; state.pendingDrivers = false }
                return (state.pendingComponents, state.pendingDrivers)
            }
            guard let (components, drivers) = work else { return }
            await reload(components: components, drivers: drivers)
        }
    }

    private func reload(components: Bool, drivers: Bool) async {
        let started = ContinuousClock.now
        if drivers { rescanDrivers() }
        if components {
            let manifest = ComponentLoader.load(paths: options.resourcesPaths, appID: options.appID, environment: Environment.all)
            for problem in manifest.problems { Log.write(problem.severity == .error ? .error : .warn, problem.description) }
            state.withLock {
                $0.components = manifest.components
                $0.brokenFiles = Self.brokenFiles(manifest)
            }
        }
        let (desired, broken) = state.withLock { ($0.components, $0.brokenFiles) }
        await registry.reconcile(desired, keeping: broken)
        Log.write(.debug, "reload (\(components ? "components" : "")\(components && drivers ? "+" : "")\(drivers ? "drivers" : "")) applied in \(Registry.milliseconds(ContinuousClock.now - started))")
    }

    /// Scans the drivers path again. A file that was serving and is now incomplete or invalid
    /// (being written, or truncated) keeps its previous image until it is complete and valid.
    private func rescanDrivers() {
        let previous = registry.catalog
        let started = ContinuousClock.now
        var catalog = DriverCatalog.scan(driverPaths, loader: loader)
        let scanTime = Registry.milliseconds(ContinuousClock.now - started)
        for rejection in catalog.rejected where rejection.code == .invalidFile || rejection.code == .unreadable {
            guard let old = previous.drivers.first(where: { $0.file == rejection.file }),
                  catalog.driver(for: old.descriptor.type) == nil else { continue }
            catalog.drivers.append(old)
            let key = "\(rejection.file) \(rejection.reason)"
            let first = state.withLock { $0.reportedIncomplete.insert(key).inserted }
            if first {
                Log.warn("driver \(rejection.file) is incomplete or invalid (\(rejection.reason)); \(old.descriptor.type) \(old.descriptor.driverVersion) keeps serving until the file is complete")
            }
        }
        for rejection in catalog.rejected where rejection.code != .invalidFile && rejection.code != .unreadable {
            Log.warn("driver \(rejection.file) not used: \(rejection.reason)")
        }
        for driver in catalog.drivers where !previous.drivers.contains(where: { $0.image === driver.image }) {
            Log.info("driver \(driver.file) loaded: \(driver.descriptor.type) \(driver.descriptor.driverVersion) (sha256 \(driver.image.sha256.prefix(12)), verify+copy+load of the drivers path \(scanTime), \(loader.retainedImages) images retained)")
        }
        registry.catalog = catalog
    }

    private static func brokenFiles(_ manifest: ManifestSet) -> [String: String] {
        var files: [String: String] = [:]
        for problem in manifest.problems where problem.severity == .error && files[problem.file] == nil {
            files[problem.file] = problem.description
        }
        return files
    }
}
