import DaprMetadata
import Testing

/// Go's strconv.Unquote, which Dapr's localstorage and smtp bindings apply to request data.
@Suite struct GoUnquoteTests {
    private func unquote(_ text: String) -> String? {
        GoUnquote.bytes(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func unquoteFollowsGo() {
        #expect(unquote(#""hello""#) == "hello")
        #expect(unquote(#""""#) == "")
        #expect(unquote(#""a\"b\\c\n\t\u00e9\U0001F600\x41\101""#) == "a\"b\\c\n\té😀AA")
        #expect(unquote(#""\u003c\u0026\u003e""#) == "<&>")
        #expect(unquote("hello") == nil)
        #expect(unquote(#""a"b""#) == nil)
        #expect(unquote("\"a\nb\"") == nil)
        #expect(unquote(#""\'""#) == nil)
        #expect(unquote(#""\/""#) == nil)
        #expect(unquote(#""\ud83d\ude00""#) == nil)
        #expect(unquote(#""\x4""#) == nil)
        #expect(unquote("\"") == nil)
    }

    @Test func rawAndSingleCharacterLiteralsFollowGo() {
        #expect(unquote("`a\\n\r b`") == "a\\n b")
        #expect(unquote("`a`b`") == nil)
        #expect(unquote("'é'") == "é")
        #expect(unquote("'ab'") == nil)
    }
}
