import BinderyCore
import BinderySystem
import Glibc
import PluginABI

/// The host's function table passed to every driver. Built once, never changed or freed.
package enum HostTable {
    package nonisolated(unsafe) static let pointer: UnsafePointer<bd_host_api> = make()

    private static func make() -> UnsafePointer<bd_host_api> {
        var api = bd_host_api()
        api.struct_size = UInt32(MemoryLayout<bd_host_api>.size)
        api.abi_major = UInt16(BD_ABI_MAJOR)
        api.abi_minor = UInt16(BD_ABI_MINOR)
        api.log = { context, level, message in
            let level = Log.Level(rawValue: Int(max(0, min(level, 4)))) ?? .info
            guard Log.isEnabled(level) else { return }
            let label = Contexts.shared.label(Handle.id(context))
            let text = label.map { $0.redactor.redacted(String(message)) } ?? String(message)
            Log.write(level, text, scope: label?.scope ?? "driver")
        }
        api.log_enabled = { _, level in Log.isEnabled(Log.Level(rawValue: Int(max(0, min(level, 4)))) ?? .info) }
        api.op_complete = { call, status, error in
            Calls.shared.complete(
                Handle.id(call), .op(OpResult(status: status, message: error.map { String($0.pointee.message) } ?? "")))
        }
        api.invoke_complete = { call, status, response, error in
            Calls.shared.complete(
                Handle.id(call), .invoke(InvokeOutcome(status: status, response: response, error: error)))
        }
        api.emit_event = { context, event in
            guard let event, let instance = Contexts.shared.find(Handle.id(context)) else { return BD_E_UNAVAILABLE }
            return instance.accept(InputEvent(copying: event.pointee))
        }
        api.now_mono_ns = { MonotonicClock.nanoseconds() }
        let pointer = UnsafeMutablePointer<bd_host_api>.allocate(capacity: 1)
        pointer.initialize(to: api)
        return UnsafePointer(pointer)
    }
}

/// Host handles (`bd_call*`, `bd_host_ctx*`) are ids, never addresses: a stale or repeated
/// completion finds no entry instead of touching freed memory.
package enum Handle {
    package static func id(_ pointer: OpaquePointer?) -> UInt64 { UInt64(UInt(bitPattern: pointer)) }
    package static func pointer(_ id: UInt64) -> OpaquePointer? { OpaquePointer(bitPattern: UInt(id)) }
}
