import BinderyCore

extension GetMetadataResponse {
    /// The sidecar as daprd's GetMetadata shows it (pkg/api/universal/metadata.go): app id,
    /// components with capabilities, extended metadata with `daprRuntimeVersion`, the app
    /// connection, actors DISABLED, no enabled features.
    ///
    /// bindery's extensions (what the HTTP API shows per component) go in extended metadata,
    /// the one free-form map of the message, under `bindery.`-prefixed keys that replace any the
    /// app set: `bindery.retainedDriverImages`, and per component
    /// `bindery.component.NAME.{status,driverVersion,driverFile,generation,lastError,delivered,failed,inFlight}`
    /// (absent when the HTTP API would omit them).
    package init(_ metadata: SidecarMetadata) {
        self.init()
        id = metadata.appID
        runtimeVersion = metadata.runtimeVersion
        registeredComponents = metadata.components.map {
            RegisteredComponent(name: $0.name, type: $0.type, version: $0.version, capabilities: $0.capabilities)
        }
        var extended = metadata.extended
        extended["daprRuntimeVersion"] = metadata.runtimeVersion
        extended["bindery.retainedDriverImages"] = String(metadata.retainedDriverImages)
        for component in metadata.components {
            let prefix = "bindery.component.\(component.name)."
            extended[prefix + "status"] = component.status
            extended[prefix + "driverVersion"] = component.driverVersion
            extended[prefix + "driverFile"] = component.driverOrigin
            extended[prefix + "generation"] = component.generation.map { String($0) }
            extended[prefix + "lastError"] = component.lastError
            if let deliveries = component.deliveries {
                extended[prefix + "delivered"] = String(deliveries.delivered)
                extended[prefix + "failed"] = String(deliveries.failed)
                extended[prefix + "inFlight"] = String(deliveries.inFlight)
            }
        }
        extendedMetadata = extended
        var connection = AppConnectionProperties()
        connection.port = Int32(clamping: metadata.appPort ?? 0)
        connection.protocol = metadata.appProtocol
        connection.channelAddress = metadata.appChannelAddress
        connection.maxConcurrency = Int32(clamping: max(0, metadata.maxConcurrency))
        appConnectionProperties = connection
        actorRuntime = ActorRuntime(runtimeStatus: ActorRuntime.disabled)
    }
}
