import Synchronization

/// What the health and metadata endpoints report about the running sidecar.
package final class SidecarState: Sendable {
    package let appID: String
    package let appPort: Int?
    package let appChannelAddress: String
    package let maxConcurrency: Int
    /// `--app-protocol`: `http` or `grpc`.
    package let appProtocol: String
    /// Components loaded and the API listening: `/v1.0/healthz/outbound` answers 204.
    package let outboundReady = Atomic<Bool>(false)
    /// The app's port accepted a connection (or there is no app port): with `outboundReady`,
    /// `/v1.0/healthz` answers 204.
    package let appReady = Atomic<Bool>(false)
    /// What became of each input component's events (`Delivery` counts, metadata shows).
    package let deliveries = DeliveryCounters()
    /// A signal or the app's exit started the shutdown: both health endpoints answer 500, and a
    /// request to a component already stopped gets 503 instead of "couldn't find".
    package let shuttingDown = Atomic<Bool>(false)
    private let extended = Mutex<(values: [String: String], bytes: Int)>(([:], 0))

    package init(
        appID: String, appPort: Int?, appChannelAddress: String, maxConcurrency: Int, appProtocol: String = "http"
    ) {
        self.appID = appID
        self.appProtocol = appProtocol
        self.appPort = appPort
        self.appChannelAddress = appChannelAddress
        self.maxConcurrency = maxConcurrency
    }

    var extendedMetadata: [String: String] { extended.withLock { $0.values } }

    /// Stores `value` under `key` unless keys and values together would then exceed `limit`
    /// bytes (false: nothing changes).
    func setExtended(_ key: String, _ value: String, limit: Int) -> Bool {
        extended.withLock { extended in
            let old = extended.values[key].map { key.utf8.count + $0.utf8.count } ?? 0
            let bytes = extended.bytes - old + key.utf8.count + value.utf8.count
            guard bytes <= limit else { return false }
            extended.values[key] = value
            extended.bytes = bytes
            return true
        }
    }
}
