import ProtoWire

/// The test message of Fixtures/wire.py (`bindery.test.Scalars`), written and read with ProtoWire
/// the way a hand-written message type would be.
struct Scalars: Equatable {
    var i32: Int32 = 0
    var i64: Int64 = 0
    var u32: UInt32 = 0
    var u64: UInt64 = 0
    var s32: Int32 = 0
    var s64: Int64 = 0
    var flag = false
    var f32: UInt32 = 0
    var f64: UInt64 = 0
    var sf32: Int32 = 0
    var sf64: Int64 = 0
    var real32: Float = 0
    var real64: Double = 0
    var text = ""
    var blob: [UInt8] = []
    var labels: [String: String] = [:]
    var names: [String] = []
    var child: [Scalars] = []  // optional embedded message: zero or one
    var counts: [Int32] = []

    func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.int32(1, i32)
        writer.int64(2, i64)
        writer.uint32(3, u32)
        writer.uint64(4, u64)
        writer.sint32(5, s32)
        writer.sint64(6, s64)
        writer.bool(7, flag)
        writer.fixed32(8, f32)
        writer.fixed64(9, f64)
        writer.sfixed32(10, sf32)
        writer.sfixed64(11, sf64)
        writer.float(12, real32)
        writer.double(13, real64)
        writer.string(14, text)
        writer.bytes(15, blob)
        writer.stringMap(16, labels.sorted { $0.key < $1.key })
        writer.repeatedString(17, names)
        if let child = child.first { writer.element(18, child.encoded()) }
        writer.packedVarints(19, counts.map { UInt64(bitPattern: Int64($0)) })
        return writer.bytes
    }

    init() {}

    init(decoding bytes: [UInt8]) throws(ProtoError) {
        var reader = ProtoReader(bytes)
        try self.init(reader: &reader)
    }

    init(reader: inout ProtoReader) throws(ProtoError) {
        var labels = ProtoStringMap()
        while let field = try reader.next() {
            switch field.number {
            case 1: i32 = try field.int32()
            case 2: i64 = try field.int64()
            case 3: u32 = try field.uint32()
            case 4: u64 = try field.uint64()
            case 5: s32 = try field.sint32()
            case 6: s64 = try field.sint64()
            case 7: flag = try field.bool()
            case 8: f32 = try field.fixed32()
            case 9: f64 = try field.fixed64()
            case 10: sf32 = try field.sfixed32()
            case 11: sf64 = try field.sfixed64()
            case 12: real32 = try field.float()
            case 13: real64 = try field.double()
            case 14: text = try field.string()
            case 15: blob = try field.bytes()
            case 16: labels.insert(try field.stringMapEntry())
            case 17: names.append(try field.string())
            case 18:
                var nested = try field.message()
                child = [try Scalars(reader: &nested)]
            case 19: counts += try field.varints().map { Int32(truncatingIfNeeded: $0) }
            default: continue
            }
        }
        self.labels = Dictionary(labels.pairs, uniquingKeysWith: { $1 })
    }
}
