import DriverKit
import Testing

@testable import LocalStorageDriver

/// Go's base64.StdEncoding and json.Marshal behaviours the driver relies on (strconv.Unquote's:
/// Tests/DaprMetadataTests/GoUnquoteTests.swift).
@Suite struct EncodingTests {
    @Test func base64FollowsGoStdEncoding() {
        func decode(_ text: String) -> [UInt8]? { GoBase64.decode(Array(text.utf8)) }
        #expect(decode("aGVsbG8=") == Array("hello".utf8))
        #expect(decode("aGVsbA==") == Array("hell".utf8))
        #expect(decode("") == [])
        #expect(decode("aGVs\r\nbG8=") == Array("hello".utf8))
        #expect(decode("aGVsbG8") == nil)
        #expect(decode("aGVsbG8_") == nil)
        #expect(decode("aG=sbG8=") == nil)
        #expect(decode("a===") == nil)
        #expect(decode("hello world") == nil)
    }

    @Test func jsonStringsEscapeLikeGo() {
        #expect(GoJSON.string("a<b>&\"\\\n\u{01}\u{2028}é") == #""a\u003cb\u003e\u0026\"\\\n\u0001\u2028é""#)
        #expect(GoJSON.array([]) == "[]")
        #expect(GoJSON.array(["a", "b"]) == #"["a","b"]"#)
    }

    @Test func randomNamesAreVersion4UUIDs() {
        let name = RandomUUID.v4()
        let parts = name.split(separator: "-").map(\.count)
        #expect(parts == [8, 4, 4, 4, 12])
        #expect(Array(name)[14] == "4")
        #expect("89ab".contains(Array(name)[19]))
        #expect(RandomUUID.v4() != name)
    }
}
