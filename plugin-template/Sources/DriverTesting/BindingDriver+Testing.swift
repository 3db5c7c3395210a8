import DriverKit

/// The `DriverError` that `body` throws, or nil when it throws nothing or something else.
public func driverError(_ body: () async throws -> Void) async -> DriverError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? DriverError
    }
}

extension BindingDriver {
    /// An instance made as the host makes one (no I/O yet): for component `component` of the
    /// driver's own type, serving `directions` (nil: every direction the driver declares), with
    /// `metadata`, and a standalone host that passes log lines to `log`.
    public static func make(
        _ metadata: [String: String], component: String = "test", directions: Directions? = nil,
        log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }
    ) throws -> Self {
        let configuration = DriverConfiguration(
            componentName: component, type: descriptor.type, directions: directions ?? descriptor.directions,
            metadata: metadata)
        return try Self(configuration: configuration, host: .standalone(log: log))
    }

    /// The driver, started (as the host does after create).
    public func started() async throws -> Self {
        try await start()
        return self
    }

    /// Starts the driver, runs `body` with it, then stops it, also when `body` throws.
    public func whileStarted<T>(_ body: (Self) async throws -> T) async throws -> T {
        try await start()
        do {
            let result = try await body(self)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }
}
