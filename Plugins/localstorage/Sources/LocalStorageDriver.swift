import DriverKit
import PluginABI
import Synchronization

/// `bindings.localstorage`: an output binding that creates, reads, lists and deletes files
/// under one root directory.
final class LocalStorageDriver: BindingDriver {
    enum Key: String, MetadataKey { case rootPath, fileName }

    static let descriptor = DriverDescriptor(
        type: "bindings.localstorage",
        version: "1.0.0",
        summary: "Creates, reads, lists and deletes files under a root directory on the local disk.",
        directions: [.output],
        operations: ["create", "get", "list", "delete"],
        fields: [
            MetadataField(
                Key.rootPath, required: true,
                description: "Directory the binding reads and writes, e.g. /var/data/files. A relative "
                    + "path is resolved against the host's working directory; it is created (mode 0777) "
                    + "if missing and its symlinks are resolved. Paths under /proc, /sys, /boot and "
                    + "/var/run/secrets are refused. Each request names a file with the fileName "
                    + "metadata, always relative to this directory.")
        ])

    private let configuredRoot: String
    private let resolution: StorageRoot.Resolution
    private let root = Mutex<StorageRoot?>(nil)
    private let worker = BlockingWorker()

    /// Keeps the root path; nothing touches the disk before `start()`.
    init(configuration: DriverConfiguration, host: DriverHost) throws {
        configuredRoot = try LocalStorageDriver.rootPath(configuration)
        resolution = .openat2
    }

    /// Test entry point: no host needed; `resolution: .walk` takes the path of kernels without
    /// openat2.
    init(configuration: DriverConfiguration, resolution: StorageRoot.Resolution = .openat2) throws {
        configuredRoot = try LocalStorageDriver.rootPath(configuration)
        self.resolution = resolution
    }

    private static func rootPath(_ configuration: DriverConfiguration) throws -> String {
        let path = try ComponentMetadata(configuration, fields: descriptor.fields).required(Key.rootPath)
        try ControlCharacters.refuse(in: path, field: "rootPath")
        return path
    }

    /// Starts the I/O thread, then creates and resolves the root directory on it.
    func start() async throws {
        try worker.start()
        let (configured, resolution) = (configuredRoot, resolution)
        let opened = try await worker.run { try StorageRoot.open(configured, resolution: resolution) }
        root.withLock { $0 = opened }
    }

    func invoke(_ request: InvokeRequest) async throws -> InvokeResponse? {
        guard let root = root.withLock({ $0 }) else {
            throw DriverError(.unavailable, "the binding is not started")
        }
        let fileName = request.metadata[Key.fileName.rawValue] ?? ""
        let operation = request.operation
        let data = request.data
        do {
            return try await worker.run {
                try Operations(root: root).perform(operation, fileName: fileName, data: data)
            }
        } catch let stopped as BlockingWorker.Stopped {
            throw DriverError(.unavailable, stopped.description)
        }
    }

    /// How the started root resolves paths (nil before `start()`): for tests.
    var currentResolution: StorageRoot.Resolution? { root.withLock { $0?.resolution } }

    /// Lets running operations finish, then ends the I/O thread.
    func stop() async {
        await worker.stop()
    }
}

/// The driver this library exports (Plugins/localstorage/Entry).
public let exportedDriver: any BindingDriver.Type = LocalStorageDriver.self
