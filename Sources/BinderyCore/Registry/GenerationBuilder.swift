import BinderySystem

/// Makes a generation for a component: resolves its driver, checks its metadata against the
/// driver's declared fields, creates one instance per direction and initialises them.
/// On any failure nothing is left running. Every message it writes or throws has the
/// component's secrets masked (`Redactor`).
package struct GenerationBuilder: Sendable {
    package let catalog: DriverCatalog

    package init(catalog: DriverCatalog) { self.catalog = catalog }

    package func make(_ component: Component, number: UInt64) async throws(RegistryError) -> Generation {
        let plan = try prepare(component, number: number)
        var created: [any DriverInstance] = []
        do {
            let (output, input) = try plan.createInstances(into: &created)
            try await initialise(created, timeout: component.initTimeout)
            return Generation(number: number, component: component, driver: plan.driver, output: output, input: input)
        } catch {
            await Self.dispose(created)
            let code: RegistryError.Code = error.code == .createFailed ? .createFailed : .initFailed
            // The endpoint masked what its driver said; this also covers an endpoint that did not.
            throw RegistryError(code: code, message: plan.redactor.redacted("\(location(component)): \(error.reason)"))
        }
    }

    /// What `make` checks before anything connects, for `bindery validate`: the driver, the
    /// directions, the metadata against the declared fields, and the driver's own checks in
    /// `create` (which does no I/O), each instance stopped and destroyed again at once.
    package func check(_ component: Component) async throws(RegistryError) {
        let plan = try prepare(component, number: 0, logWarnings: false)
        var created: [any DriverInstance] = []
        do throws(RuntimeError) { _ = try plan.createInstances(into: &created) } catch {
            await Self.dispose(created)
            throw RegistryError(
                code: .createFailed, message: plan.redactor.redacted("\(location(component)): \(error.reason)"))
        }
        await Self.dispose(created)
    }

    /// A component checked and ready to create: its driver, directions, masking and metadata.
    private struct Plan {
        let driver: AvailableDriver
        let directions: [String]
        let redactor: Redactor
        let spec: @Sendable (Directions) -> ComponentSpec

        /// One instance per direction served, output first (as daprd), each appended to `created`
        /// as it is made, so the caller can stop and destroy them whatever fails next.
        func createInstances(into created: inout [any DriverInstance]) throws(RuntimeError) -> (
            output: (any DriverInstance)?, input: (any DriverInstance)?
        ) {
            let output = directions.contains("output") ? try driver.endpoint.create(spec(.output)) : nil
            if let output { created.append(output) }
            let input = directions.contains("input") ? try driver.endpoint.create(spec(.input)) : nil
            if let input { created.append(input) }
            return (output, input)
        }
    }

    /// `logWarnings`: log what the metadata check warns about (`bindery validate` prints those
    /// itself).
    private func prepare(_ component: Component, number: UInt64, logWarnings: Bool = true) throws(RegistryError)
        -> Plan
    {
        let driver = try resolve(component)
        let directions = try directions(of: component, served: driver.descriptor)
        let redactor = Redactor(component, fields: driver.descriptor.fields)
        try checkMetadata(component, driver, redactor, logWarnings: logWarnings)
        let metadata = Self.withDefaults(component, driver.descriptor.fields)
        return Plan(driver: driver, directions: directions, redactor: redactor) { direction in
            ComponentSpec(
                name: component.name, type: driver.descriptor.type, version: component.version, directions: direction,
                metadata: metadata, generation: number, redactor: redactor)
        }
    }

    /// Every instance that create returned gets one stop and then one destroy (the ABI's rule).
    private static func dispose(_ instances: [any DriverInstance]) async {
        for instance in instances {
            await instance.stop(timeout: .seconds(2))
            instance.destroy()
        }
    }

    /// The component's metadata, then each declared field it leaves out that has a default (the
    /// ABI's contract from 1.1 on: a driver sees every defaulted field). Names compare
    /// case-insensitively, as daprd decodes metadata.
    static func withDefaults(_ component: Component, _ fields: [DriverDescriptor.Field]) -> Pairs {
        var metadata: Pairs = component.metadata.map { ($0.name, $0.value) }
        let present = Set(metadata.map { $0.key.lowercased() })
        for field in fields where !present.contains(field.name.lowercased()) {
            if let value = field.defaultValue, !value.isEmpty { metadata.append((field.name, value)) }
        }
        return metadata
    }

    private func resolve(_ component: Component) throws(RegistryError) -> AvailableDriver {
        let available = catalog.drivers.map(\.descriptor.type)
        guard let type = ComponentType.resolve(component.type, version: component.version, among: available),
            let driver = catalog.driver(for: type)
        else {
            let known = available.sorted().joined(separator: ", ")
            throw RegistryError(
                code: .unknownType,
                message:
                    "\(location(component)): spec.type \"\(component.type)\" has no driver in the drivers path (\(catalog.searchPath.joined(separator: ":"))); known types: \(known.isEmpty ? "none" : known)"
            )
        }
        return driver
    }

    private func directions(of component: Component, served descriptor: DriverDescriptor) throws(RegistryError)
        -> [String]
    {
        guard let wanted = component.directions else { return descriptor.directions }
        for direction in wanted.sorted() where !descriptor.directions.contains(direction) {
            throw RegistryError(
                code: .unsupportedDirection,
                message:
                    "\(location(component)): direction \"\(direction)\" is not supported by \(descriptor.type), which serves \(descriptor.directions.joined(separator: " and "))"
            )
        }
        return descriptor.directions.filter { wanted.contains($0) }
    }

    private func checkMetadata(
        _ component: Component, _ driver: AvailableDriver, _ redactor: Redactor, logWarnings: Bool
    ) throws(RegistryError) {
        let problems = MetadataCheck.check(component, against: driver.descriptor.fields)
        for warning in problems where logWarnings && warning.severity == .warning {
            Log.warn(redactor.redacted(warning.description), scope: component.name)
        }
        let errors = problems.filter { $0.severity == .error }
        guard errors.isEmpty else {
            let message = errors.map(\.description).joined(separator: "; ")
            throw RegistryError(code: .invalidMetadata, message: redactor.redacted(message))
        }
    }

    /// Initialises every instance at once; the first failure (or the timeout) fails them all.
    private func initialise(_ instances: [any DriverInstance], timeout: Duration) async throws(RuntimeError) {
        let failures = await withTaskGroup(of: RuntimeError?.self) { group in
            for instance in instances {
                group.addTask { () -> RuntimeError? in
                    do throws(RuntimeError) { try await instance.start(timeout: timeout) } catch { return error }
                    return nil
                }
            }
            return await group.compactMap { $0 }.reduce(into: [RuntimeError]()) { $0.append($1) }
        }
        if let first = failures.first { throw first }
    }

    private func location(_ component: Component) -> String {
        "\(component.file):\(component.line): component \"\(component.name)\""
    }
}
