/// The one error type of driver and host tests: a sentence that says what went wrong, where,
/// and (for a server or a process) what it logged.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
