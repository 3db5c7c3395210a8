import BinderySystem
import Synchronization

/// Hot reload: watches the resources and drivers paths and, after each settled burst of
/// changes, re-reads what changed and hands the registry the new desired set. Reloads run one
/// at a time; changes that arrive during one are applied by the next.
package final class Reloader: Sendable {
    private struct State {
        var pendingComponents = false
        var pendingDrivers = false
        package var running = false
        package var stopped = false
        var runner: Task<Void, Never>?
        package var components: [Component]
        var brokenFiles: [String: String]
        var reportedIncomplete: Set<String> = []
    }

    private let resourcesPaths: [String]
    private let appID: String
    private let registry: Registry
    private let discovery: any DriverDiscovery
    private let watcher = FileWatchers.make()
    private let state: Mutex<State>

    /// `manifest` is what the registry runs now; `resourcesPaths` and `appID` are read again
    /// on each change, as at start.
    package init(
        resourcesPaths: [String], appID: String, registry: Registry, discovery: any DriverDiscovery,
        manifest: ManifestSet
    ) {
        self.resourcesPaths = resourcesPaths
        self.appID = appID
        self.registry = registry
        self.discovery = discovery
        state = Mutex(State(components: manifest.components, brokenFiles: Self.brokenFiles(manifest)))
    }

    package func start() {
        let resources = Set(resourcesPaths), drivers = Set(discovery.watchedPaths)
        watcher.start(Array(resources.union(drivers))) { [self] changed in
            trigger(components: !changed.isDisjoint(with: resources), drivers: !changed.isDisjoint(with: drivers))
        }
        Log.info("watching \(resources.count) resources and \(drivers.count) drivers folders for changes")
    }

    /// Stops watching and waits for a reload in progress, so nothing changes during shutdown.
    package func stop() async {
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
                defer {
                    state.pendingComponents = false
                    state.pendingDrivers = false
                }
                return (state.pendingComponents, state.pendingDrivers)
            }
            guard let (components, drivers) = work else { return }
            await reload(components: components, drivers: drivers)
        }
    }

    private func reload(components: Bool, drivers: Bool) async {
        let started = ContinuousClock.now
        if drivers { registry.catalog = discovery.rescan(previous: registry.catalog) }
        if components {
            let manifest = ComponentLoader.load(paths: resourcesPaths, appID: appID, environment: Environment.all)
            for problem in manifest.problems {
                Log.write(problem.severity == .error ? .error : .warn, problem.description)
            }
            state.withLock {
                $0.components = manifest.components
                $0.brokenFiles = Self.brokenFiles(manifest)
            }
        }
        let (desired, broken) = state.withLock { ($0.components, $0.brokenFiles) }
        await registry.reconcile(desired, keeping: broken)
        Log.write(
            .debug,
            "reload (\(components ? "components" : "")\(components && drivers ? "+" : "")\(drivers ? "drivers" : "")) applied in \(Log.milliseconds(ContinuousClock.now - started))"
        )
    }

    private static func brokenFiles(_ manifest: ManifestSet) -> [String: String] {
        var files: [String: String] = [:]
        for problem in manifest.problems where problem.severity == .error && files[problem.file] == nil {
            files[problem.file] = problem.description
        }
        return files
    }
}
