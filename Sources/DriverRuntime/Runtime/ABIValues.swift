import BinderyCore
import PluginABI

// Conversions between Swift values and the ABI's borrowed C views. A view built here is valid
// only inside the closure it is passed to: exactly the ABI's borrowing rule.

extension String {
    package init(_ view: bd_str) {
        guard let pointer = view.ptr, view.len > 0 else {
            self = ""
            return
        }
        self = String(decoding: UnsafeRawBufferPointer(start: pointer, count: view.len), as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    package init(_ view: bd_bytes) {
        guard let pointer = view.ptr, view.len > 0 else {
            self = []
            return
        }
        self = Array(UnsafeBufferPointer(start: pointer, count: view.len))
    }
}

/// Metadata as an ordered list of pairs, as it crosses the ABI.
package typealias Pairs = [(key: String, value: String)]

package func pairs(_ list: bd_kv_list) -> Pairs {
    guard let items = list.items else { return [] }
    return (0..<list.count).map { (String(items[$0].key), String(items[$0].value)) }
}

package func withStr<R>(_ text: String, _ body: (bd_str) -> R) -> R {
    var text = text
    return text.withUTF8 { utf8 in
        utf8.withMemoryRebound(to: CChar.self) { body(bd_str(ptr: $0.baseAddress, len: $0.count)) }
    }
}

package func withBytes<R>(_ bytes: [UInt8], _ body: (bd_bytes) -> R) -> R {
    bytes.withUnsafeBufferPointer { body(bd_bytes(ptr: $0.baseAddress, len: $0.count)) }
}

/// Lays every key and value out in one buffer and passes a `bd_kv_list` over it.
package func withKVList<R>(_ entries: Pairs, _ body: (bd_kv_list) -> R) -> R {
    if entries.isEmpty { return body(bd_kv_list(items: nil, count: 0)) }
    var storage: [UInt8] = [0]
    var spans: [(key: Range<Int>, value: Range<Int>)] = []
    for (key, value) in entries {
        let keyStart = storage.count
        storage.append(contentsOf: key.utf8)
        let valueStart = storage.count
        storage.append(contentsOf: value.utf8)
        spans.append((keyStart..<valueStart, valueStart..<storage.count))
    }
    return storage.withUnsafeBufferPointer { buffer in
        let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
        let items = spans.map { span in
            bd_kv(
                key: bd_str(ptr: base + span.key.lowerBound, len: span.key.count),
                value: bd_str(ptr: base + span.value.lowerBound, len: span.value.count))
        }
        return items.withUnsafeBufferPointer { body(bd_kv_list(items: $0.baseAddress, count: $0.count)) }
    }
}

/// A host-allocated error buffer for a synchronous call, read back as text afterwards.
package struct ErrorBuffer {
    package static let capacity = 1024

    package static func with<R>(_ body: (UnsafeMutablePointer<bd_error_buf>) -> R) -> (R, String) {
        // On the stack: invoke passes one with every request (ABI 1.1), so no heap allocation.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { chars in
            var buffer = bd_error_buf(
                struct_size: UInt32(MemoryLayout<bd_error_buf>.size), code: 0, flags: 0,
                message: chars.baseAddress, message_cap: capacity, message_len: 0)
            let result = body(&buffer)
            let length = min(buffer.message_len, capacity)
            guard length > 0 else { return (result, "") }
            return (
                result, String(decoding: UnsafeRawBufferPointer(start: chars.baseAddress, count: length), as: UTF8.self)
            )
        }
    }
}

/// The name of a status code, for messages.
///
/// A switch of string literals: every invoke's outcome is named (`DriverStatus`), so this must
/// not allocate (it built a dictionary per call).
package func statusName(_ status: bd_status) -> String {
    switch status {
    case BD_OK: "BD_OK"
    case BD_E_INVALID_ARG: "BD_E_INVALID_ARG"
    case BD_E_INCOMPATIBLE: "BD_E_INCOMPATIBLE"
    case BD_E_UNSUPPORTED: "BD_E_UNSUPPORTED"
    case BD_E_BUSY: "BD_E_BUSY"
    case BD_E_UNAVAILABLE: "BD_E_UNAVAILABLE"
    case BD_E_TIMEOUT: "BD_E_TIMEOUT"
    case BD_E_CANCELLED: "BD_E_CANCELLED"
    case BD_E_NOT_FOUND: "BD_E_NOT_FOUND"
    case BD_E_INTERNAL: "BD_E_INTERNAL"
    default: "status \(status)"
    }
}
