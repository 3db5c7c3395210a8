/// Why bytes are not a valid protobuf message: what went wrong, where (byte offset from the start
/// of the outermost message), in which field and, when a decoder sets it, in which message type.
package struct ProtoError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// A varint (a tag, a value or a length) runs past the end of the message.
        case truncatedVarint
        /// A varint longer than ten bytes, or whose tenth byte carries bits past 64.
        case overlongVarint
        /// A fixed-size or length-delimited value needs `needed` bytes where `available` are left.
        case truncated(needed: UInt64, available: Int)
        /// Field number 0, or above 536,870,911 (2^29 - 1).
        case invalidFieldNumber(UInt64)
        /// Wire types 3 and 4 (proto2 groups) and 6 and 7 (undefined).
        case unsupportedWireType
        /// A field this message knows arrived with another wire type than its type has.
        case wrongWireType(expected: ProtoWireType)
        /// A `string` field whose bytes are not UTF-8 (proto3 requires it).
        case invalidUTF8
    }

    package var kind: Kind
    /// Where the problem starts: the field's tag, or the bad value's first byte.
    package var offset: Int
    /// The field's number, when its tag was read.
    package var field: Int?
    /// The field's wire type as its tag says (0–7), when its tag was read.
    package var wireType: Int?
    /// The message type being decoded, e.g. `dapr.proto.runtime.v1.InvokeBindingRequest`.
    package var messageType: String?

    package init(_ kind: Kind, offset: Int, field: Int? = nil, wireType: Int? = nil, messageType: String? = nil) {
        (self.kind, self.offset, self.field, self.wireType) = (kind, offset, field, wireType)
        self.messageType = messageType
    }

    /// The same error, naming `type` as the message being decoded (unless a nested one already did).
    package func inMessage(_ type: String) -> ProtoError {
        var copy = self
        if copy.messageType == nil { copy.messageType = type }
        return copy
    }

    package var description: String {
        var place = messageType.map { "\($0) " } ?? ""
        if let field {
            place += "field \(field)"
            if let wireType { place += " (wire type \(ProtoWireType.describe(wireType)))" }
            place += " "
        }
        return "proto: \(place)at offset \(offset): \(problem)"
    }

    private var problem: String {
        switch kind {
        case .truncatedVarint: "varint runs past the end of the message"
        case .overlongVarint: "varint is longer than 10 bytes or overflows 64 bits"
        case .truncated(let needed, let available):
            "value needs \(needed) bytes, only \(available) left in the message"
        case .invalidFieldNumber(let number):
            "field number \(number) is outside 1...536870911"
        case .unsupportedWireType:
            "wire type \(wireType.map(ProtoWireType.describe) ?? "?") is not supported (groups are proto2 only; 6 and 7 are undefined)"
        case .wrongWireType(let expected):
            "expected wire type \(expected) for this field"
        case .invalidUTF8: "string field is not valid UTF-8"
        }
    }
}
