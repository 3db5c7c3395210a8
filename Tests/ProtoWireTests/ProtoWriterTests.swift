import Testing

@testable import ProtoWire

/// ProtoWriter's bytes against Python protobuf's deterministic encoding of the same values.
@Suite struct ProtoWriterTests {
    static let sampleJSON = """
        {"i32":-7,"i64":"-9000000000","u32":4000000000,"u64":"18446744073709551615","s32":-3,\
        "s64":"-123456789012","flag":true,"f32":4294967295,"f64":"1","sf32":-2,"sf64":"-3",\
        "real32":1.5,"real64":-0.25,"text":"héllo ✓","blob":"AAEC/w==","labels":{"b":"2","a":""},\
        "names":["","n"],"child":{"text":"inner","child":{}},"counts":[1,-1,300]}
        """

    static var sample: Scalars {
        var value = Scalars()
        (value.i32, value.i64, value.u32, value.u64) = (-7, -9_000_000_000, 4_000_000_000, .max)
        (value.s32, value.s64, value.flag) = (-3, -123_456_789_012, true)
        (value.f32, value.f64, value.sf32, value.sf64) = (.max, 1, -2, -3)
        (value.real32, value.real64) = (1.5, -0.25)
        (value.text, value.blob) = ("héllo ✓", [0, 1, 2, 255])
        value.labels = ["b": "2", "a": ""]
        value.names = ["", "n"]
        var child = Scalars()
        child.text = "inner"
        child.child = [Scalars()]
        value.child = [child]
        value.counts = [1, -1, 300]
        return value
    }

    @Test func everyScalarKindEncodesAsPythonDoes() throws {
        #expect(Self.sample.encoded() == (try PythonProtobuf.encode(Self.sampleJSON)))
    }

    /// (Map entries are compared decoded: upb's deterministic order puts an empty key last.)
    @Test func pythonDecodesWhatWeWrite() throws {
        var value = Self.sample
        value.labels[""] = "x"
        let decoded = try #require(try PythonProtobuf.decode(value.encoded()))
        #expect(decoded["i64"] as? String == "-9000000000")
        #expect(decoded["text"] as? String == "héllo ✓")
        #expect(decoded["labels"] as? [String: String] == ["b": "2", "a": "", "": "x"])
        #expect(decoded["names"] as? [String] == ["", "n"])
        #expect((decoded["child"] as? [String: Any])?["text"] as? String == "inner")
    }

    @Test func defaultValuesAreNotWritten() {
        #expect(Scalars().encoded() == [])
        var writer = ProtoWriter()
        writer.string(1, "")
        writer.double(2, 0)
        writer.bool(3, false)
        #expect(writer.bytes == [])
    }

    @Test func negativeZeroIsWrittenAsItsBitsAreNotZero() {
        var writer = ProtoWriter()
        writer.double(1, -0.0)
        #expect(writer.bytes == [0x09, 0, 0, 0, 0, 0, 0, 0, 0x80])
    }

    @Test func negativeInt32IsSignExtendedToTenBytes() {
        var writer = ProtoWriter()
        writer.int32(1, -1)
        #expect(writer.bytes == [0x08] + Array(repeating: 0xff, count: 9) + [0x01])
    }

    @Test func emptyEmbeddedMessageAndRepeatedElementsArePresent() {
        var writer = ProtoWriter()
        writer.message(2) { _ in }
        writer.repeatedString(3, [""])
        #expect(writer.bytes == [0x12, 0x00, 0x1a, 0x00])
    }
}
