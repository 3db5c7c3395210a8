import Testing

@testable import BinderyCore
@testable import BinderySystem

/// `data` must reach drivers exactly as daprd's `json.Marshal` would produce it
/// (dapr-bindings-spec.md 1.3); expected values were produced by Go's encoding/json.
@Suite struct GoJSONTests {
    static let reencoded: [(String, String)] = [
        ("null", "null"),
        ("\"hello\"", "\"hello\""),
        ("\"a<b & c>\"", "\"a\\u003cb \\u0026 c\\u003e\""),
        ("{\"b\":1, \"a\":2}", "{\"a\":2,\"b\":1}"),
        (
            "{ \"z\": {\"y\": [1, 2, {\"b\": null, \"a\": true}]}, \"a\": false }",
            "{\"a\":false,\"z\":{\"y\":[1,2,{\"a\":true,\"b\":null}]}}"
        ),
        ("12345678901234567890", "12345678901234567000"),
        ("1.0", "1"), ("1e2", "100"), ("-2.5E+3", "-2500"), ("0.1", "0.1"), ("3.14159", "3.14159"),
        ("0.000001", "0.000001"), ("0.0000001", "1e-7"), ("1.5e-10", "1.5e-10"),
        ("1e21", "1e+21"), ("100000000000000000000", "100000000000000000000"), ("1e100", "1e+100"),
        ("123456789012345678901234", "1.2345678901234569e+23"),
        ("-0", "-0"), ("5e-324", "5e-324"), ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ("9007199254740993", "9007199254740992"), ("0.30000000000000004", "0.30000000000000004"),
        ("[1, \"x\"]", "[1,\"x\"]"),
        ("{\"a\":1,\"a\":2}", "{\"a\":2}"),
        ("\"\\u2028\\b\\f\\u0001/\\t\"", "\"\\u2028\\b\\f\\u0001/\\t\""),
        ("\"\\ud83d\\ude00\"", "\"😀\""),
        ("\"\\ud800\"", "\"\u{FFFD}\""),
        ("{\"é\":1,\"z\":2,\"Z\":3}", "{\"Z\":3,\"z\":2,\"é\":1}"),
    ]

    @Test(arguments: reencoded)
    func reencodesAsGoMarshalDoes(input: String, expected: String) throws {
        let value = try JSONParser.parse(Array(input.utf8))
        #expect(String(decoding: try GoJSON.marshal(value), as: UTF8.self) == expected)
    }

    static let malformed: [(String, String)] = [
        ("", "unexpected end of JSON input"),
        ("{", "unexpected EOF"),
        ("{\"a\" 1}", "invalid character '1' after object key"),
        ("[1,]", "invalid character ']' looking for beginning of value"),
        ("01", "invalid character '1' after top-level value"),
        ("{'a':1}", "invalid character '\\'' looking for beginning of object key string"),
        ("\"\\q\"", "invalid character 'q' in string escape code"),
    ]

    @Test(arguments: malformed)
    func malformedJSONGetsGoStyleMessages(input: String, message: String) {
        #expect(throws: JSONParser.Failure(description: message)) { try JSONParser.parse(Array(input.utf8)) }
    }

    @Test func numbersBeyondFloat64AreRefused() throws {
        let value = try JSONParser.parse(Array("1e400".utf8))
        #expect(
            throws: GoJSON.Failure(description: "json: cannot unmarshal number 1e400 into Go value of type float64")
        ) {
            try GoJSON.marshal(value)
        }
    }

    @Test func deepNestingIsBounded() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure(description: "exceeded max depth")) {
            try JSONParser.parse(Array(deep.utf8))
        }
    }

    @Test func randomBytesNeverCrashTheParser() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("{}[]\",:0123456789.eE+-truefalsnl \\u".utf8)
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            if let value = try? JSONParser.parse(bytes) { _ = try? GoJSON.marshal(value) }
        }
    }
}
