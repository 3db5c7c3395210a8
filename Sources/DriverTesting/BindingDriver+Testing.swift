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
