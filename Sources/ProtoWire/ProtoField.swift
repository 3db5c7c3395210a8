/// One field as `ProtoReader` read it: its number, wire type, where its tag starts, and its value.
/// The typed accessors check the wire type, so a known field sent with another type is an error
/// rather than a misread value.
package struct ProtoField: Sendable {
    package enum Value: Sendable {
        /// A varint, or a fixed32/fixed64's bits.
        case scalar(UInt64)
        /// A length-delimited field's bytes (indices are the outermost message's).
        case bytes(ArraySlice<UInt8>)
    }

    package let number: Int
    package let wireType: ProtoWireType
    /// Where the field's tag starts, from the start of the outermost message.
    package let offset: Int
    package let value: Value

    package init(number: Int, wireType: ProtoWireType, offset: Int, value: Value) {
        (self.number, self.wireType, self.offset, self.value) = (number, wireType, offset, value)
    }

    /// The error for this field: its number, wire type and offset filled in.
    package func error(_ kind: ProtoError.Kind) -> ProtoError {
        ProtoError(kind, offset: offset, field: number, wireType: wireType.rawValue)
    }

    private func scalar(_ expected: ProtoWireType) throws(ProtoError) -> UInt64 {
        guard wireType == expected, case .scalar(let bits) = value else {
            throw error(.wrongWireType(expected: expected))
        }
        return bits
    }

    // MARK: varint types

    package func uint64() throws(ProtoError) -> UInt64 { try scalar(.varint) }
    /// Negative values are ten-byte varints (two's complement), as every protobuf library writes them.
    package func int64() throws(ProtoError) -> Int64 { Int64(bitPattern: try scalar(.varint)) }
    /// The low 32 bits, as Go and C++ read an int32 (a writer sign-extends negatives to 64 bits).
    package func int32() throws(ProtoError) -> Int32 { Int32(truncatingIfNeeded: try scalar(.varint)) }
    package func uint32() throws(ProtoError) -> UInt32 { UInt32(truncatingIfNeeded: try scalar(.varint)) }
    /// Any non-zero varint is true.
    package func bool() throws(ProtoError) -> Bool { try scalar(.varint) != 0 }
    /// Zigzag: 0, -1, 1, -2… as 0, 1, 2, 3….
    package func sint64() throws(ProtoError) -> Int64 { ProtoZigZag.decode(try scalar(.varint)) }
    package func sint32() throws(ProtoError) -> Int32 {
        Int32(truncatingIfNeeded: ProtoZigZag.decode(UInt64(UInt32(truncatingIfNeeded: try scalar(.varint)))))
    }

    // MARK: fixed types

    package func fixed32() throws(ProtoError) -> UInt32 { UInt32(truncatingIfNeeded: try scalar(.fixed32)) }
    package func sfixed32() throws(ProtoError) -> Int32 { Int32(bitPattern: try fixed32()) }
    package func float() throws(ProtoError) -> Float { Float(bitPattern: try fixed32()) }
    package func fixed64() throws(ProtoError) -> UInt64 { try scalar(.fixed64) }
    package func sfixed64() throws(ProtoError) -> Int64 { Int64(bitPattern: try fixed64()) }
    package func double() throws(ProtoError) -> Double { Double(bitPattern: try fixed64()) }

    // MARK: length-delimited types

    /// The raw bytes of a `bytes`, `string` or message field.
    package func slice() throws(ProtoError) -> ArraySlice<UInt8> {
        guard case .bytes(let bytes) = value else { throw error(.wrongWireType(expected: .lengthDelimited)) }
        return bytes
    }

    package func bytes() throws(ProtoError) -> [UInt8] { Array(try slice()) }

    /// A `string` field: UTF-8 is checked, as proto3 requires and grpc-go's codec enforces.
    package func string() throws(ProtoError) -> String {
        let raw = try slice()
        let text = raw.withUnsafeBufferPointer { bytes in
            // ASCII is valid UTF-8 as it is: String(decoding:) then changes nothing, and costs
            // less than String(validating:).
            bytes.allSatisfy { $0 < 0x80 }
                ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
        }
        guard let text else { throw error(.invalidUTF8) }
        return text
    }

    /// A reader over an embedded message.
    package func message() throws(ProtoError) -> ProtoReader { ProtoReader(try slice()) }

    /// One entry of a `map<string, string>`: the entry message `{key = 1; value = 2}`, either
    /// absent meaning "", unknown fields skipped.
    package func stringMapEntry() throws(ProtoError) -> (key: String, value: String) {
        var reader = try message()
        var entry = (key: "", value: "")
        while let field = try reader.next() {
            switch field.number {
            case 1: entry.key = try field.string()
            case 2: entry.value = try field.string()
            default: continue
            }
        }
        return entry
    }

    /// A repeated varint field's values from this occurrence: packed (one length-delimited run,
    /// proto3's default) or not (one varint); decoders must accept both (protobuf encoding guide).
    package func varints() throws(ProtoError) -> [UInt64] {
        guard wireType == .lengthDelimited else { return [try uint64()] }
        var reader = ProtoReader(try slice())
        var values: [UInt64] = []
        while !reader.isAtEnd { values.append(try reader.packedVarint(field: self)) }
        return values
    }
}

/// Zigzag encoding for sint32/sint64: small magnitudes of either sign make short varints.
package enum ProtoZigZag {
    package static func encode(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
    package static func decode(_ value: UInt64) -> Int64 { Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1))) }
}
