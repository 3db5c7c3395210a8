/// The three-bit wire type in a field's tag (protobuf encoding guide, "Message Structure"): how
/// the value that follows is laid out, so a reader can skip a field it does not know.
package enum ProtoWireType: Int, Sendable, CustomStringConvertible {
    /// int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    case varint = 0
    /// fixed64, sfixed64, double: eight bytes, little-endian.
    case fixed64 = 1
    /// string, bytes, embedded messages, packed repeated fields: a varint length, then the bytes.
    case lengthDelimited = 2
    /// Proto2 groups (deprecated): refused by the reader.
    case startGroup = 3
    /// Proto2 groups (deprecated): refused by the reader.
    case endGroup = 4
    /// fixed32, sfixed32, float: four bytes, little-endian.
    case fixed32 = 5

    /// The number and the protobuf name, e.g. `2 (LEN)`, as errors show it.
    package var description: String { Self.describe(rawValue) }

    /// `description` for a raw wire type, including 6 and 7, which no type has.
    package static func describe(_ raw: Int) -> String {
        let names = ["VARINT", "I64", "LEN", "SGROUP", "EGROUP", "I32"]
        return raw < names.count ? "\(raw) (\(names[raw]))" : "\(raw) (undefined)"
    }
}
