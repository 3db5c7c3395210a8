import DriverKit

/// Runs `body`, which blocks (a metadata request, librdkafka's subscribe), on a thread of its
/// own and returns its result: never on a host thread or Swift concurrency's shared pool.
func offHostThreads<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
    let thread = DedicatedThread<Never>(name: name)
    let result: Result<T, any Error> = try await withCheckedThrowingContinuation { continuation in
        do {
            try thread.start { continuation.resume(returning: Result { try body() }) }
        } catch {
            continuation.resume(throwing: DriverError(.unavailable, "\(name): \(error)"))
        }
    }
    await thread.stop()
    return try result.get()
}

extension DriverError {
    /// `error` as a DriverError (driver errors pass through).
    static func wrapping(_ error: any Error) -> DriverError {
        (error as? DriverError) ?? DriverError(.internalError, String(describing: error))
    }
}
