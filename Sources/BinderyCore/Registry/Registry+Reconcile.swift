import BinderySystem

/// Applying a desired set of components: added ones are created, removed ones drained and
/// stopped, changed ones (spec or driver image) swapped make-before-break. A failure keeps the
/// previous generation serving and is recorded on the component.
extension Registry {
    /// `keeping`: files whose components must stay as they are (the file is invalid now, so
    /// its components are neither removed nor changed).
    func reconcile(_ desired: [Component], keeping brokenFiles: [String: String]) async {
        let catalog = self.catalog
        let wanted = Dictionary(desired.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let (removed, kept) = entries.withLock { entries -> ([Entry], [String]) in
            var removed: [Entry] = [], kept: [String] = []
            for (name, entry) in entries where wanted[name] == nil {
                if let problem = brokenFiles[entry.component.file] {
                    entries[name]?.lastError = problem
                    kept.append(name)
                } else {
                    removed.append(entries.removeValue(forKey: name)!)
                }
            }
            return (removed, kept)
        }
        for name in kept {
            Log.warn("component \(name) keeps serving its previous configuration: its file is invalid", scope: name)
        }
        for entry in removed {
            Log.info("component \(entry.component.name) removed", scope: entry.component.name)
            if let generation = entry.generation { retire(generation, inputStopped: false) }
        }
        await withTaskGroup(of: Void.self) { group in
            for component in desired where needsWork(component, catalog) {
                group.addTask { await self.apply(component, catalog) }
            }
        }
    }

    /// True when `component` is new, failed before, changed, or its driver image changed.
    private func needsWork(_ component: Component, _ catalog: DriverCatalog) -> Bool {
        entries.withLock { entries in
            guard var entry = entries[component.name], let generation = entry.generation else { return true }
            let type = ComponentType.resolve(
                component.type, version: component.version, among: catalog.drivers.map(\.descriptor.type))
            let endpoint = type.flatMap { catalog.driver(for: $0) }?.endpoint
            guard entry.component.sameSpec(as: component), endpoint === generation.driver.endpoint else { return true }
            entry.component = component  // moved within or across files: nothing to re-create
            entry.lastError = nil
            entries[component.name] = entry
            return false
        }
    }

    /// Makes the new generation while the old one serves, then publishes it.
    private func apply(_ component: Component, _ catalog: DriverCatalog) async {
        let (number, old) = entries.withLock { entries -> (UInt64, Generation?) in
            var entry = entries[component.name] ?? Entry(component: component)
            let number = entry.nextNumber
            entry.nextNumber += 1
            entries[component.name] = entry
            return (number, entry.generation)
        }
        let started = ContinuousClock.now
        let generation: Generation
        do {
            generation = try await GenerationBuilder(catalog: catalog).make(component, number: number)
        } catch {
            let repeated = entries.withLock { entries -> Bool in
                let repeated = entries[component.name]?.lastError == error.message
                entries[component.name]?.lastError = error.message
                return repeated
            }
            if !repeated {
                let level: Log.Level = old == nil && component.ignoreErrors ? .warn : .error
                let keeping = old.map { " (generation \($0.number) keeps serving)" } ?? ""
                Log.write(
                    level, "component \(component.name) failed: \(error.message)\(keeping)", scope: component.name)
            }
            return
        }
        let initTime = ContinuousClock.now - started
        await publish(generation, replacing: old, component: component)
        let d = generation.descriptor
        if let old {
            let o = old.descriptor
            Log.info(
                "component \(component.name) swapped: \(o.type) \(o.driverVersion) (generation \(old.number)) -> \(d.type) \(d.driverVersion) (generation \(generation.number)), init \(Log.milliseconds(initTime))",
                scope: component.name)
        } else {
            Log.info(
                "component \(component.name) ready: \(d.type) \(d.driverVersion), \(Self.directions(generation)), init \(Log.milliseconds(initTime))",
                scope: component.name)
        }
    }

    /// Points the component at `generation`. Input: an exclusive source (cron) stops in the old
    /// generation before it starts in the new one, so no tick is delivered twice; a source
    /// that tolerates overlap starts first, so nothing is missed. Output switches at once.
    private func publish(_ generation: Generation, replacing old: Generation?, component: Component) async {
        let overlap = generation.descriptor.inputMayOverlap && (old?.descriptor.inputMayOverlap ?? true)
        if let old, !overlap { await old.stopInput() }
        entries.withLock { entries in
            entries[component.name]?.generation = generation
            entries[component.name]?.component = component
            entries[component.name]?.lastError = nil
        }
        if generation.input != nil, let starter = inputStarter.withLock({ $0 }) { await starter(generation) }
        if let old { retire(old, inputStopped: !overlap) }
    }

    /// Drains and destroys a generation in the background; shutdown waits for it.
    func retire(_ generation: Generation, inputStopped: Bool) {
        let id = retireIDs.wrappingAdd(1, ordering: .relaxed).newValue
        let task = Task {
            let started = ContinuousClock.now
            await generation.shutDown(inputAlreadyStopped: inputStopped)
            Log.info(
                "generation \(generation.number) of \(generation.component.name) retired: drained and stopped in \(Log.milliseconds(ContinuousClock.now - started))",
                scope: generation.component.name)
            _ = self.retiring.withLock { $0.removeValue(forKey: id) }
        }
        retiring.withLock { $0[id] = task }
    }
}
