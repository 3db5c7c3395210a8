import PluginABI

/// Copies of the header's borrowed views, and borrowed views of Swift values for one call.
enum CStrings {
    static func text(_ view: bd_str) -> String {
        guard let start = view.ptr, view.len > 0 else { return "" }
        return start.withMemoryRebound(to: UInt8.self, capacity: view.len) {
            String(decoding: UnsafeBufferPointer(start: $0, count: view.len), as: UTF8.self)
        }
    }

    static func bytes(_ view: bd_bytes) -> [UInt8] {
        view.ptr.map { Array(UnsafeBufferPointer(start: $0, count: view.len)) } ?? []
    }

    /// The message a driver wrote into a `bd_error_buf` over `buffer`.
    static func text(_ buffer: [CChar], count: Int) -> String {
        String(decoding: buffer.prefix(min(count, buffer.count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs `body` with `strings` as `bd_str`s that stay valid until it returns.
    static func withViews<R>(_ strings: [String], _ body: ([bd_str]) -> R) -> R {
        let copies = strings.map { Array($0.utf8CString) }
        var views: [bd_str] = []
        func next(_ index: Int) -> R {
            guard index < copies.count else { return body(views) }
            return copies[index].withUnsafeBufferPointer { buffer in
                views.append(bd_str(ptr: buffer.baseAddress, len: buffer.count - 1))
                return next(index + 1)
            }
        }
        return next(0)
    }

    /// Runs `body` with `pairs` as a `bd_kv_list` that stays valid until it returns.
    static func withList<R>(_ pairs: [(String, String)], _ body: (bd_kv_list) -> R) -> R {
        withViews(pairs.flatMap { [$0.0, $0.1] }) { views in
            let items = stride(from: 0, to: views.count, by: 2).map { bd_kv(key: views[$0], value: views[$0 + 1]) }
            return items.withUnsafeBufferPointer { body(bd_kv_list(items: $0.baseAddress, count: $0.count)) }
        }
    }
}
