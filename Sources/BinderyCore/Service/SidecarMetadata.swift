/// A snapshot of the sidecar for `/v1.0/metadata`: identity, app connection and, per component,
/// the driver serving it, its generation, status, last error and, for input, its deliveries.
package struct SidecarMetadata: Sendable {
    package struct Component: Sendable {
        package var name: String
        package var type: String
        package var version: String
        package var capabilities: [String]
        package var driverVersion: String?
        package var driverOrigin: String?
        package var generation: UInt64?
        /// `ready`, `failed` or `starting`.
        package var status: String
        package var lastError: String?
        /// Events delivered, failed and in flight; nil for a component without input.
        package var deliveries: DeliveryCounters.Counts? = nil
    }

    package var appID: String
    package var runtimeVersion: String
    package var components: [Component]
    package var extended: [String: String]
    package var appPort: Int?
    package var appChannelAddress: String
    package var maxConcurrency: Int
    package var appProtocol = "http"
    package var retainedDriverImages: Int
}
