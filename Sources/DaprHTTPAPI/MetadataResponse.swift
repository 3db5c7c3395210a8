import BinderyCore
import FoundationEssentials

/// `GET /v1.0/metadata` in Dapr's shape, plus per component the driver version, generation,
/// status, last error and, for input, `deliveries` (Dapr clients ignore keys they do not know).
package struct MetadataResponse: Encodable {
    package struct Component: Encodable {
        package let name: String
        package let type: String
        package let version: String?
        package let capabilities: [String]
        package let driverVersion: String?
        let driverFile: String?
        package let generation: UInt64?
        package let status: String
        package let lastError: String?
        package let deliveries: Deliveries?
    }

    /// A component's input events: answered 2xx, failed (another status or no answer), and
    /// taken from the driver but not answered yet.
    package struct Deliveries: Encodable {
        package let delivered: Int
        package let failed: Int
        package let inFlight: Int
    }

    package struct AppConnection: Encodable {
        package let port: Int?
        package let `protocol`: String
        let channelAddress: String
        package let maxConcurrency: Int?
    }

    package struct ActorRuntime: Encodable {
        let runtimeStatus = "DISABLED"
        let hostReady = false
    }

    package let id: String
    package let runtimeVersion: String
    let enabledFeatures: [String] = []
    package let components: [Component]
    package let extended: [String: String]
    let appConnectionProperties: AppConnection
    let actorRuntime = ActorRuntime()
    package let retainedDriverImages: Int

    package init(_ metadata: SidecarMetadata) {
        id = metadata.appID
        runtimeVersion = metadata.runtimeVersion
        components = metadata.components.map { c in
            Component(
                name: c.name, type: c.type, version: c.version.isEmpty ? nil : c.version, capabilities: c.capabilities,
                driverVersion: c.driverVersion, driverFile: c.driverOrigin, generation: c.generation, status: c.status,
                lastError: c.lastError,
                deliveries: c.deliveries.map {
                    Deliveries(delivered: $0.delivered, failed: $0.failed, inFlight: $0.inFlight)
                })
        }
        extended = metadata.extended.merging(["daprRuntimeVersion": metadata.runtimeVersion]) { $1 }
        appConnectionProperties = AppConnection(
            port: metadata.appPort, protocol: metadata.appProtocol, channelAddress: metadata.appChannelAddress,
            maxConcurrency: metadata.maxConcurrency > 0 ? metadata.maxConcurrency : nil)
        retainedDriverImages = metadata.retainedDriverImages
    }

    package var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? Array("{}".utf8)
    }
}
