import DriverKit
import Glibc
import GoogleAuth

/// `bindings.gcp.bucket`: stores, reads, lists, copies, moves and deletes objects in one Google
/// Cloud Storage bucket and signs URLs for them, as Dapr's `bindings.gcp.bucket` does, over the
/// GCS JSON API on a libcurl thread per instance.
final class BucketDriver: BindingDriver {
    static let descriptor = DriverDescriptor(
        type: "bindings.gcp.bucket", version: "1.0.0",
        summary:
            "Creates, gets, lists, deletes, copies, renames and moves objects in a Google Cloud Storage bucket, and signs URLs for them.",
        directions: [.output],
        operations: ["create", "get", "delete", "list", "sign", "bulkGet", "copy", "rename", "move"],
        fields: BucketDriver.fields)

    /// Read and write access to objects (what Go's storage client asks for by default).
    static let scope = "https://www.googleapis.com/auth/devstorage.full_control"

    let settings: BucketSettings
    let client: StorageClient
    let host: DriverHost?

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration, log: host)
    }

    /// Checks the configuration and resolves the Google profile; no network I/O. `log` is nil in
    /// tests; `environment` (variables) replaces the process's for STORAGE_EMULATOR_HOST and
    /// GOOGLE_APPLICATION_CREDENTIALS.
    init(configuration: DriverConfiguration, log host: DriverHost?, environment: [String: String]? = nil) throws {
        let metadata = ComponentMetadata(configuration, fields: BucketDriver.fields)
        settings = try BucketSettings(metadata)
        let access = try GoogleAccess(
            metadata: metadata, scopes: [BucketDriver.scope], emulatorVariable: "STORAGE_EMULATOR_HOST",
            endpoint: settings.endpoint, environment: environment ?? ProcessEnvironment.variables())
        // Dapr refuses a component without a project, even on an emulator.
        guard access.projectID != nil else {
            throw DriverError(
                .invalidArgument,
                "\(configuration.componentName): missing property `project_id` in metadata (set projectID, or name a credentials file with a project_id in GOOGLE_APPLICATION_CREDENTIALS)"
            )
        }
        client = StorageClient(access: access, component: configuration.componentName)
        self.host = host
    }

    /// Starts the HTTP client's thread. As in Dapr, nothing is sent until the first request.
    func start() async throws {
        try client.start()
        if let warning = client.access.plainHTTPWarning { host?.log(.warn, warning) }
        host?.log(
            .debug,
            "bindings.gcp.bucket ready: bucket \(settings.bucket) at \(client.baseURL)\(client.access.usesEmulator ? " (emulator, no auth)" : "")"
        )
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        var request = request
        // Dapr's backward compatibility: `name` is the older spelling of `key`, and wins.
        if let name = request.metadata[BucketKey.name.rawValue], !name.isEmpty {
            request.metadata[BucketKey.key.rawValue] = name
            request.metadata[BucketKey.name.rawValue] = nil
        }
        let timeout = try RequestDeadline.milliseconds(left: request.deadline, prefix: "gcp bucket binding error")
        switch request.operation {
        case "create": return try await create(request, timeout: timeout)
        case "get": return try await get(request, timeout: timeout)
        case "delete": return try await delete(request, timeout: timeout)
        case "list": return try await list(request, timeout: timeout)
        case "sign": return try sign(request)
        case "bulkGet": return try await bulkGet(request, timeout: timeout)
        case "copy": return try await copy(request, timeout: timeout)
        case "rename": return try await rename(request, timeout: timeout)
        case "move": return try await move(request, timeout: timeout)
        default:
            throw DriverError(.unsupported, "unsupported operation \(request.operation)")
        }
    }

    /// Cancels requests in flight and ends the HTTP client's thread before returning.
    func stop() async {
        await client.stop()
    }

    /// The request's key (`key`, or `name` mapped to it), or Dapr's error for its absence.
    func requiredKey(_ request: InvokeRequest, prefix: String = "gcp bucket binding error") throws(DriverError)
        -> String
    {
        guard let key = request.metadata[BucketKey.key.rawValue], !key.isEmpty else {
            throw DriverError(.invalidArgument, "\(prefix): can't read key value")
        }
        return key
    }
}

/// The driver this library exports (Plugins/gcp-bucket/Entry).
public let exportedDriver: any BindingDriver.Type = BucketDriver.self
