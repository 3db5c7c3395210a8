/// What a frontend (the Dapr HTTP API; the gRPC API next) may ask of bindery. A frontend never
/// holds a generation or a driver: a request reaches a driver through the Registry's admission.
package protocol BindingService: Sendable {
    /// Invokes output binding `name`; `done` runs exactly once, on whichever thread completes it.
    func invoke(binding name: String, _ request: OutputRequest, done: @escaping @Sendable (BindingResult) -> Void)

    /// The sidecar and its components as `/v1.0/metadata` shows them.
    func metadata() -> SidecarMetadata

    /// Whether the sidecar is ready: components loaded, API listening, app reachable.
    func health() -> SidecarHealth

    /// `PUT /v1.0/metadata/{key}`: attributes the app sets for itself. False, storing nothing,
    /// when all keys and values would then take more than `limit` bytes.
    func setExtendedMetadata(_ key: String, _ value: String, limit: Int) -> Bool
}

/// How an output binding call ended.
package enum BindingResult: Sendable {
    /// No component of that name serves output.
    case notFound
    /// The sidecar is shutting down and no longer serves `name`.
    case shuttingDown
    /// The driver does not declare the operation; `supported` is what it declares.
    case unsupportedOperation(supported: [String])
    /// The driver answered (success or its error).
    case completed(InvokeOutcome)
}

/// Readiness as the health endpoints report it.
package struct SidecarHealth: Sendable {
    package var appID: String
    /// Components loaded and the API listening.
    package var outboundReady: Bool
    /// The app's port accepted a connection (or there is no app port).
    package var appReady: Bool
    /// Shutdown has begun: neither endpoint reports healthy again.
    package var shuttingDown = false
}
