import PluginABI

// Conversions between Swift values and the ABI's borrowed C views. Views built here are valid
// only inside the closure they are passed to, which is exactly the ABI's borrowing rule.

extension String {
    init(_ view: bd_str) {
        guard let pointer = view.ptr, view.len > 0 else {
            self = ""
            return
        }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: view.len)
        self = String(decoding: bytes, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    init(_ view: bd_bytes) {
        guard let pointer = view.ptr, view.len > 0 else {
            self = []
            return
        }
        self = Array(UnsafeBufferPointer(start: pointer, count: view.len))
    }
}

extension Dictionary where Key == String, Value == String {
    init(_ list: bd_kv_list) {
        self.init()
        guard let items = list.items else { return }
        for index in 0..<list.count {
            self[String(items[index].key)] = String(items[index].value)
        }
    }
}

func withStr<R>(_ text: String, _ body: (bd_str) -> R) -> R {
    var text = text
    return text.withUTF8 { utf8 in
        utf8.withMemoryRebound(to: CChar.self) { body(bd_str(ptr: $0.baseAddress, len: $0.count)) }
    }
}

func withBytes<R>(_ bytes: [UInt8], _ body: (bd_bytes) -> R) -> R {
    bytes.withUnsafeBufferPointer { body(bd_bytes(ptr: $0.baseAddress, len: $0.count)) }
}

/// Lays every key and value out in one buffer and passes a `bd_kv_list` over it.
func withKVList<R>(_ entries: [String: String], _ body: (bd_kv_list) -> R) -> R {
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

/// Passes a `bd_error` describing `error` to `body`.
func withCError<R>(_ error: DriverError, _ body: (UnsafePointer<bd_error>) -> R) -> R {
    withStr(error.message) { message in
        var cError = bd_error(
            struct_size: UInt32(MemoryLayout<bd_error>.size), code: error.code.status,
            flags: error.isRetryable ? BD_ERR_RETRYABLE : 0, message: message)
        return withUnsafePointer(to: &cError) { body($0) }
    }
}

/// Writes `error` into a host-provided error buffer, truncating the message to its capacity.
func write(_ error: DriverError, to buffer: UnsafeMutablePointer<bd_error_buf>?) {
    guard let buffer else { return }
    buffer.pointee.code = error.code.status
    buffer.pointee.flags = error.isRetryable ? BD_ERR_RETRYABLE : 0
    let bytes = Array(error.message.utf8.prefix(buffer.pointee.message_cap))
    if let destination = buffer.pointee.message {
        for (index, byte) in bytes.enumerated() { destination[index] = CChar(bitPattern: byte) }
        buffer.pointee.message_len = bytes.count
    }
}
