import CNghttp2

/// Header fields to submit to nghttp2: names and values packed into one byte array, turned into
/// an `nghttp2_nv` array only for the duration of a submit call (nghttp2 copies them).
struct GRPCHeaderBlock {
    private var bytes: [UInt8] = []
    private var fields: [(name: Range<Int>, value: Range<Int>)] = []

    var isEmpty: Bool { fields.isEmpty }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
    }

    mutating func add(_ name: String, _ value: String) {
        let nameStart = bytes.count
        append(name)
        let valueStart = bytes.count
        append(value)
        fields.append((nameStart..<valueStart, valueStart..<bytes.count))
    }

    /// A field known at compile time (`:status`, `content-type`…): copied without a String.
    mutating func add(_ name: StaticString, _ value: StaticString) {
        let nameStart = bytes.count
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        let valueStart = bytes.count
        bytes.append(contentsOf: UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
        fields.append((nameStart..<valueStart, valueStart..<bytes.count))
    }

    /// `:status: 200`, `content-type: application/grpc`, `grpc-accept-encoding: identity`: the
    /// head of every reply but a 415, copied in one piece.
    mutating func addOKHead() {
        let base = bytes.count
        bytes.append(contentsOf: Self.okHead.bytes)
        for (name, value) in Self.okHead.fields {
            fields.append(
                (name.lowerBound + base..<name.upperBound + base, value.lowerBound + base..<value.upperBound + base))
        }
    }

    private static let okHead: GRPCHeaderBlock = {
        var block = GRPCHeaderBlock()
        block.add(":status", "200" as StaticString)
        block.add("content-type", "application/grpc" as StaticString)
        block.add("grpc-accept-encoding", "identity" as StaticString)
        return block
    }()

    /// A String's UTF-8 copied in one piece (`append(contentsOf: text.utf8)` goes byte by byte).
    private mutating func append(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: text.utf8) }
    }

    /// Custom metadata, leaving out names gRPC reserves (a handler cannot forge `:status` or
    /// `grpc-status`) and base64-encoding `-bin` values.
    mutating func add(_ metadata: GRPCMetadata) {
        // No pseudo-header either: `:authority` is request metadata a handler may echo back.
        for (name, value) in metadata where !name.hasPrefix(":") && !GRPCMetadata.isReserved(name) {
            add(name, name.hasSuffix("-bin") ? GRPCBinaryHeader.encode(Array(value.utf8)) : value)
        }
    }

    /// `grpc-status` and, when there is one, the percent-encoded `grpc-message`.
    mutating func add(_ status: GRPCStatus) {
        if status.code == .ok {
            add("grpc-status", "0" as StaticString)
        } else {
            add("grpc-status", String(status.code.rawValue))
        }
        if !status.message.isEmpty { add("grpc-message", GRPCMessageText.encode(status.message)) }
    }

    /// Calls `body` with the fields as an nghttp2_nv array (on the stack for a short list).
    mutating func withFields<R>(_ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        let fields = fields
        return bytes.withUnsafeMutableBufferPointer { raw in
            let base = raw.baseAddress!
            return withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: max(fields.count, 1)) { list in
                for (index, field) in fields.enumerated() {
                    list.initializeElement(
                        at: index,
                        to: nghttp2_nv(
                            name: base + field.name.lowerBound, value: base + field.value.lowerBound,
                            namelen: field.name.count, valuelen: field.value.count,
                            flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
                }
                return body(list.baseAddress!, fields.count)
            }
        }
    }
}
