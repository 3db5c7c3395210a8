import Foundation

/// Checks `condition` every 10 ms until it holds; throws naming `what` when `timeout` passes
/// first. For states a test can only observe by looking again (a counter, a server's reply);
/// await an event directly where there is one.
public func eventually(
    _ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            throw TestFailure("timed out after \(timeout) waiting for \(what)")
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// Seconds since `start`, as a Double for messages and ranges.
public func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Runs blocking `body` (waitpid, a pipe read, a child process) on a thread of its own, so the
/// test never blocks Swift's small cooperative pool, which the driver under test may need.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
