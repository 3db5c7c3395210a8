import PluginABI

#if canImport(Glibc)
    import Glibc
#endif

/// The host's table, valid and immutable for the life of the process.
struct HostTable: @unchecked Sendable {
    let api: UnsafePointer<bd_host_api>
}

/// An opaque host handle (`bd_host_ctx*` or `bd_call*`); the host keeps it valid for as long as
/// the ABI says, and the driver only passes it back, so sharing it across threads is safe.
struct HostHandle: @unchecked Sendable {
    let raw: OpaquePointer?
}

/// Log levels of `DriverHost.log`.
public enum LogLevel: Int32, Sendable {
    case trace = 0
    case debug, info, warn, error
}

/// What a driver instance may ask of the host: logging and the clock of deadlines.
public struct DriverHost: Sendable {
    private enum Backing: Sendable {
        case host(HostTable, HostHandle)
        case local(@Sendable (LogLevel, String) -> Void)
    }

    private let backing: Backing

    init(table: HostTable, context: HostHandle) {
        backing = .host(table, context)
    }

    /// A host that passes log lines to `log`: for tests and tools that run a driver without
    /// bindery. `now()` reads CLOCK_MONOTONIC itself.
    public static func standalone(log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }) -> DriverHost {
        DriverHost(backing: .local(log))
    }

    private init(backing: Backing) {
        self.backing = backing
    }

    /// Writes one log line, tagged by the host with the component, type and generation.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        switch backing {
        case .local(let log): log(level, message())
        case .host(let table, let context):
            guard isLogging(level), let log = table.api.pointee.log else { return }
            withStr(message()) { log(context.raw, level.rawValue, $0) }
        }
    }

    /// True when a message at `level` would be written.
    public func isLogging(_ level: LogLevel) -> Bool {
        switch backing {
        case .local: true
        case .host(let table, let context): table.api.pointee.log_enabled?(context.raw, level.rawValue) ?? false
        }
    }

    /// CLOCK_MONOTONIC now, in nanoseconds: the clock of request deadlines.
    public func now() -> UInt64 {
        switch backing {
        case .host(let table, _): return table.api.pointee.now_mono_ns?() ?? 0
        case .local:
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        }
    }
}
