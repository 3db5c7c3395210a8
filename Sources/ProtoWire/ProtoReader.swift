/// Reads a protobuf message one field at a time. Every field of wire type 0, 1, 2 or 5 is read
/// whole, so a decoder skips a field it does not know by ignoring it; groups (3, 4) and the
/// undefined wire types 6 and 7 are refused, as are truncated values and over-long varints.
///
/// Offsets in errors count from the start of the outermost message: a nested reader shares its
/// parent's bytes (an `ArraySlice` keeps the parent's indices).
package struct ProtoReader: Sendable {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    package init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    package init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    /// Whether every byte has been read.
    package var isAtEnd: Bool { position == bytes.endIndex }

    /// The next field, or nil at the end of the message.
    package mutating func next() throws(ProtoError) -> ProtoField? {
        guard !isAtEnd else { return nil }
        let start = position
        let tag = try varint()
        let rawWireType = Int(tag & 7)
        let number = tag >> 3
        guard number >= 1, number <= 536_870_911 else {
            throw ProtoError(.invalidFieldNumber(number), offset: start, wireType: rawWireType)
        }
        let field = Int(number)
        do throws(ProtoError) {
            switch ProtoWireType(rawValue: rawWireType) {
            case .varint:
                return ProtoField(number: field, wireType: .varint, offset: start, value: .scalar(try varint()))
            case .fixed64:
                return ProtoField(number: field, wireType: .fixed64, offset: start, value: .scalar(try fixed(8)))
            case .fixed32:
                return ProtoField(number: field, wireType: .fixed32, offset: start, value: .scalar(try fixed(4)))
            case .lengthDelimited:
                let length = try varint()
                let bytes = try take(length)
                return ProtoField(number: field, wireType: .lengthDelimited, offset: start, value: .bytes(bytes))
            case .startGroup, .endGroup, nil:
                throw ProtoError(.unsupportedWireType, offset: start)
            }
        } catch {
            var located = error
            (located.field, located.wireType) = (field, rawWireType)
            throw located
        }
    }

    /// One varint of a packed run inside `field`; errors name that field.
    mutating func packedVarint(field: ProtoField) throws(ProtoError) -> UInt64 {
        do throws(ProtoError) {
            return try varint()
        } catch {
            var located = error
            (located.field, located.wireType) = (field.number, field.wireType.rawValue)
            throw located
        }
    }

    /// A base-128 varint: at most ten bytes, the tenth holding only bit 63 (protowire's rule).
    private mutating func varint() throws(ProtoError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        for shift in stride(from: UInt64(0), to: 70, by: 7) {
            guard position < bytes.endIndex else { throw ProtoError(.truncatedVarint, offset: start) }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 { throw ProtoError(.overlongVarint, offset: start) }
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
        }
        throw ProtoError(.overlongVarint, offset: start)
    }

    /// `count` bytes little-endian (4 or 8).
    private mutating func fixed(_ count: Int) throws(ProtoError) -> UInt64 {
        let raw = try take(UInt64(count))
        var value: UInt64 = 0
        for (index, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        return value
    }

    private mutating func take(_ count: UInt64) throws(ProtoError) -> ArraySlice<UInt8> {
        let available = bytes.endIndex - position
        guard count <= UInt64(available) else {
            throw ProtoError(.truncated(needed: count, available: available), offset: position)
        }
        let end = position + Int(count)
        defer { position = end }
        return bytes[position..<end]
    }
}
