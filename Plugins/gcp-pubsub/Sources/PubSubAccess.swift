import DriverKit

#if canImport(Glibc)
    import Glibc
#endif

/// INTERIM until GoogleAuth lands on main: where Pub/Sub is and which project, for an emulator
/// only (PUBSUB_EMULATOR_HOST or `endpoint`); to be replaced by GoogleAccess.
struct PubSubAccess: Sendable {
    enum ProfileKey: String, MetadataKey {
        case projectID
        case projectIDSnake = "project_id"
    }

    static let fields: [MetadataField] = [
        MetadataField(ProfileKey.projectID, description: "GCP project id."),
        MetadataField(ProfileKey.projectIDSnake, description: "GCP project id (snake_case spelling)."),
    ]

    let projectID: String
    let baseURL: String

    init(metadata: ComponentMetadata, endpoint: String?) throws(DriverError) {
        guard let project = metadata.string(ProfileKey.projectID, ProfileKey.projectIDSnake) else {
            throw DriverError(.invalidArgument, "\(metadata.component): metadata \"projectID\" is required")
        }
        projectID = project
        if let endpoint {
            baseURL = endpoint
        } else if let host = getenv("PUBSUB_EMULATOR_HOST").map({ String(cString: $0) }), !host.isEmpty {
            baseURL = host.contains("://") ? host : "http://\(host)"
        } else {
            throw DriverError(.unsupported, "\(metadata.component): Google credentials are not supported yet")
        }
    }

    func start() throws(DriverError) {}
    func stop() async {}
    func authorization() async throws(DriverError) -> String? { nil }
}
