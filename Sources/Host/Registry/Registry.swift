import Synchronization

/// The components bindery runs, by name: the generation serving each one now, and the last
/// error of each. API and Delivery ask it for "the generation serving X" and never see a driver.
final class Registry: Sendable {
    struct Entry: Sendable {
        var component: Component
        var generation: Generation?
        var lastError: String?
        var nextNumber: UInt64 = 1
    }

    private let entries = Mutex<[String: Entry]>([:])
    let builder: GenerationBuilder

    init(catalog: DriverCatalog) {
        builder = GenerationBuilder(catalog: catalog)
    }

    /// Creates and initialises every component at once. A component that fails is recorded
    /// with its error and does not keep the others from serving.
    func start(_ components: [Component]) async {
        entries.withLock { entries in
            for component in components { entries[component.name] = Entry(component: component) }
        }
        await withTaskGroup(of: Void.self) { group in
            for component in components {
                group.addTask { await self.startOne(component) }
            }
        }
    }

    private func startOne(_ component: Component) async {
        let number = entries.withLock { entries -> UInt64 in
            defer { entries[component.name]?.nextNumber += 1 }
            return entries[component.name]?.nextNumber ?? 1
        }
        let started = ContinuousClock.now
        do {
            let generation = try await builder.make(component, number: number)
            entries.withLock { $0[component.name]?.generation = generation }
            let d = generation.descriptor
            Log.info("component \(component.name) ready: \(d.type) \(d.driverVersion), \(Self.directions(generation)), init \(Self.milliseconds(ContinuousClock.now - started))", scope: component.name)
        } catch {
            entries.withLock { $0[component.name]?.lastError = error.message }
            let level: Log.Level = component.ignoreErrors ? .warn : .error
            Log.write(level, "component \(component.name) failed: \(error.message)", scope: component.name)
        }
    }

    /// The generation serving `name`'s output, with a reference taken (call `release()`).
    func admitOutput(_ name: String) -> Generation? {
        guard let generation = entries.withLock({ $0[name]?.generation }), generation.output != nil else { return nil }
        return generation.admit() ? generation : nil
    }

    /// Every generation with an input instance.
    var inputs: [Generation] { entries.withLock { $0.values.compactMap { $0.generation?.input == nil ? nil : $0.generation } } }

    var snapshot: [Entry] { entries.withLock { Array($0.values) }.sorted { $0.component.name < $1.component.name } }

    /// Stops every component: input first, drains output, then destroys.
    func shutDown() async {
        let generations = entries.withLock { entries -> [Generation] in
            defer { for name in entries.keys { entries[name]?.generation = nil } }
            return entries.values.compactMap(\.generation)
        }
        await withTaskGroup(of: Void.self) { group in
            for generation in generations { group.addTask { await generation.shutDown() } }
        }
    }

    static func directions(_ generation: Generation) -> String {
        [generation.input != nil ? "input" : nil, generation.output != nil ? "output" : nil].compactMap { $0 }.joined(separator: "+")
    }

    static func milliseconds(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return ms < 10 ? "\((ms * 100).rounded() / 100) ms" : "\(Int(ms.rounded())) ms"
    }
}
