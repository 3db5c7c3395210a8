/// Why a dedicated thread could not start: the system refused a thread or a descriptor.
public struct ThreadError: Error, CustomStringConvertible, Sendable {
    /// Names the thread and quotes strerror, e.g. `cannot start the bindings.redis I/O thread: Resource temporarily unavailable`.
    public var description: String

    public init(description: String) { self.description = description }
}
