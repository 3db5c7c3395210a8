import Synchronization

/// The components bindery runs, by name: the generation serving each one now, and the last
/// error of each. API and Delivery ask it for "the generation serving X" and never see a driver.
/// Changes arrive as a whole desired set (`reconcile`), applied one set at a time.
package final class Registry: Sendable {
    package struct Entry: Sendable {
        package var component: Component
        package var generation: Generation?
        package var lastError: String?
        var nextNumber: UInt64 = 1
    }

    /// Starts input on a generation (probe, then `start_input`); set once the app listens.
    package typealias InputStarter = @Sendable (Generation) async -> Void

    package let entries = Mutex<[String: Entry]>([:])
    private let catalogState: Mutex<DriverCatalog>
    let inputStarter = Mutex<InputStarter?>(nil)
    /// Generations replaced or removed and still draining; awaited at shutdown.
    let retiring = Mutex<[UInt64: Task<Void, Never>]>([:])
    let retireIDs = Atomic<UInt64>(0)

    package init(catalog: DriverCatalog) {
        catalogState = Mutex(catalog)
    }

    package var catalog: DriverCatalog {
        get { catalogState.withLock { $0 } }
        set { catalogState.withLock { $0 = newValue } }
    }

    /// Creates and initialises every component at once. A component that fails is recorded
    /// with its error and does not keep the others from serving.
    package func start(_ components: [Component]) async {
        await reconcile(components, keeping: [:])
    }

    /// The generation serving `name`'s output, with a reference taken (call `release()`).
    /// A generation closed between lookup and admission has just been replaced: look again.
    func admitOutput(_ name: String) -> Generation? {
        while true {
            guard let generation = entries.withLock({ $0[name]?.generation }), generation.output != nil else {
                return nil
            }
            if generation.admit() { return generation }
            if entries.withLock({ $0[name]?.generation }) === generation { return nil }  // removed, not replaced
        }
    }

    /// Every generation with an input instance.
    package var inputs: [Generation] {
        entries.withLock { $0.values.compactMap { $0.generation?.input == nil ? nil : $0.generation } }
    }

    var snapshot: [Entry] {
        entries.withLock { Array($0.values) }.sorted { $0.component.name < $1.component.name }
    }

    /// Installs the input starter and starts input on every generation that has not started.
    package func startInputs(with starter: @escaping InputStarter) async {
        inputStarter.withLock { $0 = starter }
        await withTaskGroup(of: Void.self) { group in
            for generation in inputs { group.addTask { await starter(generation) } }
        }
    }

    /// Stops input on every component (no new events; those with the app finish) and starts
    /// none later, while output keeps serving: the first step of shutdown.
    package func stopInputs() async {
        inputStarter.withLock { $0 = nil }
        await withTaskGroup(of: Void.self) { group in
            for generation in inputs where !generation.inputStopping.load(ordering: .acquiring) {
                group.addTask { await generation.stopInput() }
            }
        }
    }

    /// Stops every component: input first (unless `stopInputs` did), drains output, then
    /// destroys; waits for generations still retiring.
    package func shutDown() async {
        inputStarter.withLock { $0 = nil }
        let generations = entries.withLock { entries -> [Generation] in
            defer { for name in entries.keys { entries[name]?.generation = nil } }
            return entries.values.compactMap(\.generation)
        }
        await withTaskGroup(of: Void.self) { group in
            for generation in generations {
                let stopped = generation.inputStopping.load(ordering: .acquiring)
                group.addTask { await generation.shutDown(inputAlreadyStopped: stopped) }
            }
        }
        for task in retiring.withLock({ Array($0.values) }) { await task.value }
    }

    package static func directions(_ generation: Generation) -> String {
        [generation.input != nil ? "input" : nil, generation.output != nil ? "output" : nil].compactMap { $0 }.joined(
            separator: "+")
    }
}
