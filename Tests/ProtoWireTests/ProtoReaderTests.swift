import Testing

@testable import ProtoWire

/// ProtoReader on Python protobuf's encodings and on malformed input: every refusal names the
/// field, wire type and offset, and Python refuses the same bytes.
@Suite struct ProtoReaderTests {
    private func decodeError(_ bytes: [UInt8]) -> ProtoError? {
        do {
            _ = try Scalars(decoding: bytes)
            return nil
        } catch {
            return error
        }
    }

    /// Ours refuses `bytes` with `kind` at `offset`, and so does Python.
    private func expectRefused(
        _ bytes: [UInt8], _ kind: ProtoError.Kind, offset: Int, field: Int?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let error = try #require(decodeError(bytes), sourceLocation: sourceLocation)
        #expect(error.kind == kind, sourceLocation: sourceLocation)
        #expect(error.offset == offset, sourceLocation: sourceLocation)
        #expect(error.field == field, sourceLocation: sourceLocation)
        #expect(
            try PythonProtobuf.decode(bytes) == nil, "Python accepts what we refuse", sourceLocation: sourceLocation)
    }

    @Test func readsWhatPythonWrites() throws {
        let bytes = try PythonProtobuf.encode(ProtoWriterTests.sampleJSON)
        #expect(try Scalars(decoding: bytes) == ProtoWriterTests.sample)
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        // Field 100 as varint, I64, LEN and I32, then field 14 (text) = "ok".
        let unknown: [UInt8] =
            [0xa0, 0x06, 0x96, 0x01, 0xa1, 0x06] + Array(repeating: 7, count: 8)
            + [0xa2, 0x06, 0x02, 0x61, 0x62, 0xa5, 0x06, 1, 2, 3, 4]
        let bytes = unknown + [0x72, 0x02, 0x6f, 0x6b]
        #expect(try Scalars(decoding: bytes).text == "ok")
        #expect(try PythonProtobuf.decode(bytes)?["text"] as? String == "ok")
    }

    @Test func laterDuplicateMapKeyWins() throws {
        var writer = ProtoWriter()
        writer.stringMap(16, [(key: "k", value: "first"), (key: "other", value: "x"), (key: "k", value: "second")])
        #expect(try Scalars(decoding: writer.bytes).labels == ["k": "second", "other": "x"])
        #expect(
            try PythonProtobuf.decode(writer.bytes)?["labels"] as? [String: String] == ["k": "second", "other": "x"])
    }

    @Test func mapEntryWithoutKeyOrValueMeansEmpty() throws {
        let bytes: [UInt8] = [0x82, 0x01, 0x00, 0x82, 0x01, 0x02, 0x0a, 0x00]
        #expect(try Scalars(decoding: bytes).labels == ["": ""])
    }

    @Test func unpackedRepeatedVarintsAreAccepted() throws {
        #expect(try Scalars(decoding: [0x98, 0x01, 0x05, 0x98, 0x01, 0x06]).counts == [5, 6])
    }

    @Test func truncatedVarintIsRefused() throws {
        try expectRefused([0x08, 0x96], .truncatedVarint, offset: 1, field: 1)
        try expectRefused([0x80], .truncatedVarint, offset: 0, field: nil)
    }

    @Test func varintOverTenBytesIsRefused() throws {
        try expectRefused([0x08] + Array(repeating: 0x80, count: 10) + [0x01], .overlongVarint, offset: 1, field: 1)
    }

    @Test func lengthPastTheEndIsRefused() throws {
        try expectRefused([0x72, 0x05, 0x61], .truncated(needed: 5, available: 1), offset: 2, field: 14)
        try expectRefused(
            [0x72, 0xff, 0xff, 0xff, 0xff, 0x0f], .truncated(needed: 0xffff_ffff, available: 0), offset: 6, field: 14)
    }

    @Test func truncatedFixedValueIsRefused() throws {
        try expectRefused([0x45, 1, 2, 3], .truncated(needed: 4, available: 3), offset: 1, field: 8)
    }

    @Test func groupsAndUndefinedWireTypesAreRefused() throws {
        for wireType: UInt8 in [3, 4, 6, 7] {
            try expectRefused([0xa0 | wireType, 0x06, 0x00], .unsupportedWireType, offset: 0, field: 100)
        }
    }

    @Test func fieldNumberZeroIsRefused() throws {
        try expectRefused([0x00, 0x00], .invalidFieldNumber(0), offset: 0, field: nil)
    }

    /// protobuf-go and upb keep such a field as an unknown one; we refuse it, since no encoder of
    /// these messages writes it and a silently dropped value is worse than an error.
    @Test func knownFieldWithWrongWireTypeIsRefused() throws {
        // text (14, a string) sent as a varint; i32 (1) sent as LEN.
        for (bytes, expected, field) in [
            ([0x70, 0x01] as [UInt8], ProtoWireType.lengthDelimited, 14), ([0x0a, 0x00], .varint, 1),
        ] {
            let error = try #require(decodeError(bytes))
            #expect(error.kind == .wrongWireType(expected: expected))
            #expect((error.offset, error.field) == (0, field))
        }
    }

    @Test func invalidUTF8InAStringIsRefusedButNotInBytes() throws {
        try expectRefused([0x72, 0x02, 0xc3, 0x28], .invalidUTF8, offset: 0, field: 14)
        try expectRefused([0x72, 0x03, 0xed, 0xa0, 0x80], .invalidUTF8, offset: 0, field: 14)  // a surrogate
        #expect(try Scalars(decoding: [0x7a, 0x02, 0xc3, 0x28]).blob == [0xc3, 0x28])
    }

    @Test func errorsInNestedMessagesCountFromTheOuterStart() throws {
        // child (18) { text (14) = bad UTF-8 }: the inner tag is at offset 3.
        let error = try #require(decodeError([0x92, 0x01, 0x04, 0x72, 0x02, 0xc3, 0x28]))
        #expect(error.offset == 3)
        #expect(error.field == 14)
    }

    @Test func errorMessageSaysWhereAndWhat() throws {
        let error = try #require(decodeError([0x72, 0x05, 0x61])).inMessage("bindery.test.Scalars")
        #expect(
            error.description
                == "proto: bindery.test.Scalars field 14 (wire type 2 (LEN)) at offset 2: value needs 5 bytes, only 1 left in the message"
        )
    }
}
