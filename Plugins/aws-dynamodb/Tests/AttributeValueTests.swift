import DriverJSON
import Testing

@testable import DynamoDBDriver

/// The item Dapr's binding builds (json.Unmarshal into interface{}, then the Go SDK's
/// attributevalue.MarshalMap), checked without a server: every JSON type, Go's float64 numbers,
/// repeated and empty keys, data that is not an object.
@Suite struct AttributeValueTests {
    /// The item for `json`, as compact JSON text.
    private func item(_ json: String) throws -> String {
        var writer = GoJSONWriter()
        try writer.value(try AttributeValue.item(fromJSON: Array(json.utf8)))
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func everyJSONTypeGetsTheSDKsAttributeType() throws {
        #expect(
            try item(
                #"{"s":"x","e":"","n":1.5,"t":true,"f":false,"z":null,"l":[1,"a",null,[]],"m":{"k":{"d":0}},"o":{}}"#)
                == #"{"e":{"S":""},"f":{"BOOL":false},"l":{"L":[{"N":"1"},{"S":"a"},{"NULL":true},{"L":[]}]},"m":{"M":{"k":{"M":{"d":{"N":"0"}}}}},"n":{"N":"1.5"},"o":{"M":{}},"s":{"S":"x"},"t":{"BOOL":true},"z":{"NULL":true}}"#
        )
    }

    @Test(arguments: [
        ("1.50", "1.5"), ("1e3", "1000"), ("1E+2", "100"), ("-0", "-0"), ("0.0", "0"), ("0.1", "0.1"),
        ("1e21", "1000000000000000000000"), ("1e-7", "0.0000001"), ("12345678901234567890", "12345678901234567000"),
        ("123456789.123456789", "123456789.12345679"), ("-2.5e-3", "-0.0025"),
        ("5e-324", "0." + String(repeating: "0", count: 323) + "5"),
    ])
    func numbersAreFloat64sPrintedWithoutAnExponent(_ number: (String, String)) throws {
        #expect(try AttributeValue.number(number.0) == number.1)
    }

    @Test func ofARepeatedKeyTheLastWinsAsInAGoMap() throws {
        #expect(try item(#"{"a":1,"b":2,"a":"x"}"#) == #"{"a":{"S":"x"},"b":{"N":"2"}}"#)
    }

    @Test func anEmptyKeyFailsAtAnyDepthWithTheSDKsWords() {
        for json in [#"{"":1}"#, #"{"a":{"":1}}"#, #"{"a":[{"":true}]}"#] {
            #expect(throws: AttributeValue.Problem(message: "marshal failed, map key cannot be empty")) {
                try AttributeValue.item(fromJSON: Array(json.utf8))
            }
        }
    }

    @Test func dataThatIsNotAnObjectGivesTheSDKsEmptyItem() throws {
        for json in [#""text""#, "12", "true", "null", "[1,2]"] {
            #expect(try item(json) == "{}", "\(json)")
        }
    }

    @Test func badJSONFailsWithGosWords() {
        #expect(throws: AttributeValue.Problem(message: "unexpected end of JSON input")) {
            try AttributeValue.item(fromJSON: [])
        }
        #expect(throws: AttributeValue.Problem(message: "invalid character 'x' looking for beginning of value")) {
            try AttributeValue.item(fromJSON: Array("x".utf8))
        }
        // A number beyond float64 fails json.Unmarshal before any key is looked at.
        #expect(
            throws: AttributeValue.Problem(message: "json: cannot unmarshal number 1e400 into Go value of type float64")
        ) {
            try AttributeValue.item(fromJSON: Array(#"{"":1,"a":1e400}"#.utf8))
        }
    }
}
