import FoundationEssentials

/// `GET /v1.0/metadata` in Dapr's shape, plus per component the driver version, generation,
/// status and last error (Dapr clients ignore keys they do not know).
struct MetadataResponse: Encodable {
    struct Component: Encodable {
        let name: String
        let type: String
        let version: String?
        let capabilities: [String]
        let driverVersion: String?
        let driverFile: String?
        let generation: UInt64?
        let status: String
        let lastError: String?
    }

    struct AppConnection: Encodable {
        let port: Int?
        let `protocol` = "http"
        let channelAddress: String
        let maxConcurrency: Int?
    }

    struct ActorRuntime: Encodable {
        let runtimeStatus = "DISABLED"
        let hostReady = false
    }

    let id: String
    let runtimeVersion: String
    let enabledFeatures: [String] = []
    let components: [Component]
    let extended: [String: String]
    let appConnectionProperties: AppConnection
    let actorRuntime = ActorRuntime()
    let retainedDriverImages: Int

    init(state: SidecarState, registry: Registry, retainedImages: Int) {
        id = state.appID
        runtimeVersion = "bindery-\(CLI.version)"
        components = registry.snapshot.map { entry in
            let generation = entry.generation
            let capabilities = [generation?.input != nil ? "INPUT_BINDING" : nil, generation?.output != nil ? "OUTPUT_BINDING" : nil].compactMap { $0 }
            return Component(
                name: entry.component.name, type: entry.component.type,
                version: entry.component.version.isEmpty ? nil : entry.component.version,
                capabilities: capabilities, driverVersion: generation?.descriptor.driverVersion,
                driverFile: generation?.driver.file, generation: generation?.number,
                status: generation != nil ? "ready" : (entry.lastError != nil ? "failed" : "starting"), lastError: entry.lastError)
        }
        extended = state.extendedMetadata.merging(["daprRuntimeVersion": "bindery-\(CLI.version)"]) { $1 }
        appConnectionProperties = AppConnection(
            port: state.appPort, channelAddress: state.appChannelAddress,
            maxConcurrency: state.maxConcurrency > 0 ? state.maxConcurrency : nil)
        retainedDriverImages = retainedImages
    }

    var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? Array("{}".utf8)
    }
}
