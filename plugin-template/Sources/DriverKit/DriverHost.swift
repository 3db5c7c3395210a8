import PluginABI

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
    case trace = 0, debug, info, warn, error
}

/// What a driver instance may ask of the host: logging.
public struct DriverHost: Sendable {
    let table: HostTable
    let context: HostHandle

    /// Writes one log line, tagged by the host with the component, type and generation.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        guard isLogging(level), let log = table.api.pointee.log else { return }
        withStr(message()) { log(context.raw, level.rawValue, $0) }
    }

    /// True when a message at `level` would be written.
    public func isLogging(_ level: LogLevel) -> Bool {
        table.api.pointee.log_enabled?(context.raw, level.rawValue) ?? false
    }

    /// CLOCK_MONOTONIC now, in nanoseconds: the clock of request deadlines.
    public func now() -> UInt64 {
        table.api.pointee.now_mono_ns?() ?? 0
    }
}
