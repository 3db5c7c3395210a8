/// Writes a protobuf message field by field, in the order called (write fields in number order to
/// match other encoders byte for byte).
///
/// Scalars follow proto3's implicit presence: a zero, false or empty value is not written, as
/// every proto3 encoder does. Elements of repeated fields and embedded messages are always written.
package struct ProtoWriter: Sendable {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    /// A writer whose buffer has room for `capacity` bytes (one allocation for a message whose
    /// size is roughly known).
    package init(capacity: Int) { bytes.reserveCapacity(capacity) }

    // MARK: building blocks

    package mutating func tag(_ field: Int, _ wireType: ProtoWireType) {
        precondition(field >= 1 && field <= 536_870_911, "protobuf field number \(field) out of range")
        varint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    package mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func littleEndian(_ value: UInt64, count: Int) {
        for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    // MARK: varint fields

    package mutating func uint64(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, .varint)
        varint(value)
    }

    package mutating func int64(_ field: Int, _ value: Int64) { uint64(field, UInt64(bitPattern: value)) }
    /// Negative values sign-extend to ten bytes, as the protobuf specification requires.
    package mutating func int32(_ field: Int, _ value: Int32) { int64(field, Int64(value)) }
    package mutating func uint32(_ field: Int, _ value: UInt32) { uint64(field, UInt64(value)) }
    package mutating func bool(_ field: Int, _ value: Bool) { uint64(field, value ? 1 : 0) }
    package mutating func sint64(_ field: Int, _ value: Int64) { uint64(field, ProtoZigZag.encode(value)) }
    package mutating func sint32(_ field: Int, _ value: Int32) { sint64(field, Int64(value)) }

    // MARK: fixed fields

    package mutating func fixed32(_ field: Int, _ value: UInt32) {
        guard value != 0 else { return }
        tag(field, .fixed32)
        littleEndian(UInt64(value), count: 4)
    }

    package mutating func fixed64(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, .fixed64)
        littleEndian(value, count: 8)
    }

    package mutating func sfixed32(_ field: Int, _ value: Int32) { fixed32(field, UInt32(bitPattern: value)) }
    package mutating func sfixed64(_ field: Int, _ value: Int64) { fixed64(field, UInt64(bitPattern: value)) }
    /// -0.0 is written (its bits are not zero), as Go and upb do.
    package mutating func float(_ field: Int, _ value: Float) { fixed32(field, value.bitPattern) }
    package mutating func double(_ field: Int, _ value: Double) { fixed64(field, value.bitPattern) }

    // MARK: length-delimited fields

    package mutating func bytes(_ field: Int, _ value: some Collection<UInt8>) {
        guard !value.isEmpty else { return }
        element(field, value)
    }

    /// `bytes` for an array: not generic, so callers in other modules run specialised code.
    package mutating func bytes(_ field: Int, _ value: [UInt8]) {
        guard !value.isEmpty else { return }
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    package mutating func string(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        element(field, value)
    }

    /// A length-delimited field even when empty: an element of a repeated string or bytes field,
    /// or an embedded message already encoded.
    package mutating func element(_ field: Int, _ value: some Collection<UInt8>) {
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// `element` of a string's UTF-8, copied in one piece where the String is contiguous
    /// (`append(contentsOf: value.utf8)` goes byte by byte).
    package mutating func element(_ field: Int, _ value: String) {
        tag(field, .lengthDelimited)
        varint(UInt64(value.utf8.count))
        let copied: Void? = value.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: value.utf8) }
    }

    /// Each string of a repeated field, empty ones included.
    package mutating func repeatedString(_ field: Int, _ values: [String]) {
        for value in values { element(field, value) }
    }

    /// An embedded message, written even when it has no fields (it is then present).
    package mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var nested = ProtoWriter()
        build(&nested)
        element(field, nested.bytes)
    }

    /// A `map<string, string>`: one entry message `{key = 1; value = 2}` per pair, in the order
    /// given (pass sorted pairs for deterministic output, as Go's and upb's deterministic mode sort).
    /// Key and value are written even when empty, as Go and upb write map entries.
    package mutating func stringMap(_ field: Int, _ pairs: some Sequence<(key: String, value: String)>) {
        for (key, value) in pairs { stringMapEntry(field, key, value) }
    }

    /// `stringMap` for an array: not generic, so callers in other modules run specialised code
    /// (an unspecialised generic iterates through witness tables).
    package mutating func stringMap(_ field: Int, _ pairs: [(key: String, value: String)]) {
        for (key, value) in pairs { stringMapEntry(field, key, value) }
    }

    private mutating func stringMapEntry(_ field: Int, _ key: String, _ value: String) {
        // The entry's length is known before it is written: no nested writer.
        let (keyCount, valueCount) = (key.utf8.count, value.utf8.count)
        let length = 2 + Self.varintSize(keyCount) + keyCount + Self.varintSize(valueCount) + valueCount
        tag(field, .lengthDelimited)
        varint(UInt64(length))
        element(1, key)
        element(2, value)
    }

    /// How many bytes `varint` writes for `value`.
    package static func varintSize(_ value: Int) -> Int {
        var size = 1
        var rest = UInt64(value) >> 7
        while rest != 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    /// A repeated varint field, packed (proto3's default): one length-delimited run; nothing when empty.
    package mutating func packedVarints(_ field: Int, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        var run = ProtoWriter()
        for value in values { run.varint(value) }
        element(field, run.bytes)
    }
}
