import DaprMetadata
import Testing

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("0", Int64(0)), ("+0", 0), ("-0", 0), ("5s", 5_000_000_000), ("1m30s", 90_000_000_000),
        ("1.5h", 5_400_000_000_000),
        ("300ms", 300_000_000), ("-2us", -2_000), ("2µs", 2_000), ("2μs", 2_000), (".5s", 500_000_000),
        ("1.s", 1_000_000_000),
        ("1h2m3s4ms5us6ns", 3_723_004_005_006), ("0.000000001s", 1), ("0.0000000019s", 1),
    ])
    func goSyntaxIsReadExactly(_ pair: (String, Int64)) throws {
        #expect(try GoDuration(go: pair.0).nanoseconds == pair.1)
        #expect(GoDuration(parsing: pair.0)?.nanoseconds == pair.1)
    }

    @Test(arguments: ["", "banana", "5", "s", ".s", "1x", "1h-2m", "3000000h", "9223372036854775808ns", "+", "1.2.3s"])
    func notGoSyntaxIsRejected(_ text: String) {
        #expect(throws: GoDuration.ParseError.self) { try GoDuration(go: text) }
    }

    @Test func errorsReadLikeGo() {
        #expect(throws: GoDuration.ParseError(description: "time: missing unit in duration \"5\"")) {
            try GoDuration(go: "5")
        }
        #expect(throws: GoDuration.ParseError(description: "time: unknown unit \"x\" in duration \"1x\"")) {
            try GoDuration(go: "1x")
        }
        #expect(throws: GoDuration.ParseError(description: "time: invalid duration \"banana\"")) {
            try GoDuration(go: "banana")
        }
    }

    @Test func daprMetadataAlsoTakesWholeSeconds() {
        #expect(GoDuration(parsing: "30")?.nanoseconds == 30_000_000_000)
        #expect(GoDuration(parsing: "-1")?.nanoseconds == -1_000_000_000)
        #expect(GoDuration(parsing: "banana") == nil)
        #expect(GoDuration(parsing: "1.5") == nil)
        #expect(GoDuration(parsing: "99999999999999999") == nil)
    }

    @Test func hostHelpersKeepTheirRules() {
        #expect(GoDuration.parse("1m30s") == .seconds(90))
        #expect(GoDuration.parse("30") == nil)
        #expect(GoDuration.initTimeout("") == .seconds(5))
        #expect(GoDuration.initTimeout("-1s") == .seconds(5))
        #expect(GoDuration.initTimeout("banana") == .seconds(5))
        #expect(GoDuration.initTimeout("250ms") == .milliseconds(250))
    }

    @Test func printsGoShortForms() {
        #expect(GoDuration(nanoseconds: 5_000_000_000).description == "5s")
        #expect(GoDuration(nanoseconds: 200_000_000).description == "200ms")
        #expect(GoDuration(nanoseconds: 1_500).description == "1500ns")
        #expect(GoDuration(nanoseconds: 0).description == "0s")
        #expect(GoDuration(nanoseconds: 1_000_001).milliseconds == 2)
        #expect(GoDuration(nanoseconds: 1) < GoDuration(nanoseconds: 2))
    }
}
