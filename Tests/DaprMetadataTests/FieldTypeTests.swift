import DaprMetadata
import Testing

@Suite struct FieldTypeTests {
    @Test func truthyWordsAreDaprs() {
        for word in ["1", "true", "T", "y", "YES", "on", " On "] { #expect(MetadataText.isTruthy(word)) }
        for word in ["0", "false", "no", "banana", "", "2"] { #expect(!MetadataText.isTruthy(word)) }
        #expect(MetadataText.boolean("Off") == false)
        #expect(MetadataText.boolean("ture") == nil)
    }

    @Test func integersAllowSignAndSpaces() {
        #expect(MetadataText.integer(" -12 ") == -12)
        #expect(MetadataText.integer("+3") == 3)
        #expect(MetadataText.integer("3.0") == nil)
        #expect(MetadataText.integer("99999999999999999999") == nil)
    }

    @Test(arguments: [
        ("4Mi", Int64(4 << 20)), ("512Ki", 512 << 10), ("1000", 1000), ("1k", 1000), ("1.5Gi", 3 << 29), ("0.5", 1),
        (" 2M ", 2_000_000),
    ])
    func byteSizesAreQuantities(_ pair: (String, Int64)) {
        #expect(ByteSize(parsing: pair.0)?.bytes == pair.1)
    }

    @Test(arguments: ["", "Mi", "4MB", "4 Mi", "banana", "9Ei"])
    func notQuantitiesAreRejected(_ text: String) {
        #expect(ByteSize(parsing: text) == nil)
    }

    @Test func durationFieldRejectsBanana() throws {
        let problem = try #require(FieldType.duration.validate("banana", field: "interval", component: "ticker"))
        #expect(problem.description.hasPrefix("ticker: metadata \"interval\" is \"banana\", expected a Go duration"))
        #expect(FieldType.duration.validate("1m", field: "interval", component: "ticker") == nil)
    }

    @Test func eachTypeChecksItsValues() {
        #expect(FieldType.string.problem(with: "anything") == nil)
        #expect(FieldType.bool.problem(with: "yes") == nil)
        #expect(FieldType.bool.problem(with: "maybe") != nil)
        #expect(FieldType.int.problem(with: "12") == nil)
        #expect(FieldType.int.problem(with: "twelve") != nil)
        #expect(FieldType.byteSize.problem(with: "4Mi") == nil)
        #expect(FieldType.byteSize.problem(with: "4 megs") != nil)
        for type in [FieldType.bool, .int, .duration, .byteSize, .enumeration(["a"])] {
            #expect(type.problem(with: "") == nil)
        }
    }

    @Test func enumerationsMatchCaseInsensitivelyAndListTheChoices() {
        let type = FieldType.enumeration(["node", "cluster"])
        #expect(type.match("Node") == "node")
        #expect(type.match("ring") == nil)
        #expect(type.problem(with: "ring") == "one of \"node\", \"cluster\"")
    }

    @Test func codesRoundTrip() {
        for type in [FieldType.string, .bool, .int, .duration, .byteSize, .enumeration(["x", "y"])] {
            #expect(FieldType(code: type.code, allowedValues: type.allowedValues) == type)
        }
        #expect(FieldType(code: 99) == nil)
    }
}
