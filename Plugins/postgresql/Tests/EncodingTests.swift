import DriverJSON
import Testing

@testable import PostgreSQLDriver

/// Go's texts the driver writes (no server needed): durations, RFC 3339, floats, JSON.
@Suite struct EncodingTests {
    @Test(arguments: [
        (Int64(0), "0s"), (999, "999ns"), (1_500, "1.5µs"), (1_234_567, "1.234567ms"), (2_000_000_000, "2s"),
        (61_500_000_000, "1m1.5s"), (3_600_000_000_000, "1h0m0s"), (-1_500_000, "-1.5ms"),
    ])
    func durationsReadAsGoWritesThem(_ nanoseconds: Int64, _ text: String) {
        #expect(GoTime.duration(nanoseconds) == text)
    }

    @Test func timesAreRFC3339WithTrailingZerosDropped() {
        #expect(GoTime.rfc3339Nano(0) == "1970-01-01T00:00:00Z")
        #expect(GoTime.rfc3339Nano(1_709_212_455_120_000_000) == "2024-02-29T13:14:15.12Z")
        #expect(GoTime.rfc3339Nano(-1) == "1969-12-31T23:59:59.999999999Z")
        #expect(GoTime.rfc3339Nano(0, offset: 19_800) == "1970-01-01T05:30:00+05:30")
        #expect(GoTime.days(year: 2024, month: 2, day: 29) == 19_782)
    }

    @Test func floatsAndJSONAreWrittenAsGoWritesThem() throws {
        #expect(try GoJSONWriter.float(1e21) == "1e+21")
        #expect(try GoJSONWriter.float(1e-7) == "1e-7")
        #expect(try GoJSONWriter.float(0.000001) == "0.000001")
        #expect(try GoJSONWriter.float(100) == "100")
        #expect(try GoJSONWriter.float(-0.5) == "-0.5")
        #expect(try GoJSONWriter.float(Double(Float(0.1)), bits: 32) == "0.1")
        #expect(throws: GoJSONWriter.Unsupported.self) { try GoJSONWriter.float(.infinity) }
        var writer = GoJSONWriter()
        try writer.value(try JSONValue.parse(#" {"b": [1.0, 12345678901234567890, "\u2028"], "a": {"&": true}} "#))
        #expect(
            String(decoding: writer.bytes, as: UTF8.self)
                == #"{"a":{"\u0026":true},"b":[1,12345678901234567000,"\u2028"]}"#)
    }

    @Test func malformedJSONIsReportedAsGoReportsIt() {
        func message(_ text: String) -> String? {
            do {
                _ = try JSONValue.parse(text)
                return nil
            } catch { return error.message }
        }
        #expect(message("[1,") == "unexpected end of JSON input")
        #expect(message("[1 2]") == "invalid character '2' after array element")
        #expect(message("x") == "invalid character 'x' looking for beginning of value")
        #expect(message("[1] x") == "invalid character 'x' after top-level value")
    }

    @Test func paramsBecomeTextParameters() throws {
        #expect(
            try PostgreSQLStatement.params(#"[1, 1.50, "s", true, null, {"b":1,"a":2}, [1]]"#)
                == ["1", "1.5", "s", "true", nil, #"{"a":2,"b":1}"#, "[1]"])
        #expect(try PostgreSQLStatement.params("null") == [])
    }

    @Test func jsonArraysBecomeArrayLiterals() throws {
        guard case .array(let items) = try JSONValue.parse(#"[1, "a \"b\"", null, [true, 2.50], {"k": 1}]"#) else {
            Issue.record("not an array")
            return
        }
        #expect(PostgreSQLStatement.arrayLiteral(items) == #"{1,"a \"b\"",NULL,{true,2.5},"{\"k\":1}"}"#)
    }

    @Test func arrayLiteralsSplitIntoItems() {
        #expect(ValueEncoder.arrayItems(#"{a,"b c","d\"e",NULL,"NULL"}"#) == ["a", "b c", "d\"e", nil, "NULL"])
        #expect(ValueEncoder.arrayItems("{{1,2},{3,4}}") == ["1", "2", "3", "4"])
        #expect(ValueEncoder.arrayItems("{}").isEmpty)
    }
}
