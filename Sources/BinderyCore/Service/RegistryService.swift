/// The `BindingService` over the Registry: admission, operation check and release for each
/// request, so frontends share one path to the drivers.
package struct RegistryService: BindingService {
    package let registry: Registry
    package let state: SidecarState
    package let discovery: any DriverDiscovery
    package let runtimeVersion: String

    package init(registry: Registry, state: SidecarState, discovery: any DriverDiscovery, runtimeVersion: String) {
        self.registry = registry
        self.state = state
        self.discovery = discovery
        self.runtimeVersion = runtimeVersion
    }

    package func invoke(
        binding name: String, _ request: OutputRequest, done: @escaping @Sendable (BindingResult) -> Void
    ) {
        guard let generation = registry.admitOutput(name), let output = generation.output else {
            return done(state.shuttingDown.load(ordering: .acquiring) ? .shuttingDown : .notFound)
        }
        let operations = generation.descriptor.operations
        guard operations.contains(request.operation) else {
            generation.release()
            return done(.unsupportedOperation(supported: operations))
        }
        output.invoke(request) { outcome in
            generation.release()
            done(.completed(outcome))
        }
    }

    package func metadata() -> SidecarMetadata {
        let stopping = state.shuttingDown.load(ordering: .acquiring)
        let components = registry.snapshot.map { entry in
            let generation = entry.generation
            let status =
                generation != nil
                ? "ready" : stopping ? "stopped" : entry.lastError != nil ? "failed" : "starting"
            let capabilities = [
                generation?.input != nil ? "INPUT_BINDING" : nil, generation?.output != nil ? "OUTPUT_BINDING" : nil,
            ]
            return SidecarMetadata.Component(
                name: entry.component.name, type: entry.component.type, version: entry.component.version,
                capabilities: capabilities.compactMap { $0 }, driverVersion: generation?.descriptor.driverVersion,
                driverOrigin: generation?.driver.origin, generation: generation?.number,
                status: status,
                lastError: entry.lastError,
                deliveries: state.deliveries.counts(entry.component.name)
                    ?? (generation?.input != nil ? DeliveryCounters.Counts() : nil))
        }
        return SidecarMetadata(
            appID: state.appID, runtimeVersion: runtimeVersion, components: components,
            extended: state.extendedMetadata,
            appPort: state.appPort, appChannelAddress: state.appChannelAddress, maxConcurrency: state.maxConcurrency,
            appProtocol: state.appProtocol, retainedDriverImages: discovery.retainedImages)
    }

    package func health() -> SidecarHealth {
        SidecarHealth(
            appID: state.appID, outboundReady: state.outboundReady.load(ordering: .acquiring),
            appReady: state.appReady.load(ordering: .acquiring),
            shuttingDown: state.shuttingDown.load(ordering: .acquiring))
    }

    package func setExtendedMetadata(_ key: String, _ value: String, limit: Int) -> Bool {
        state.setExtended(key, value, limit: limit)
    }
}
