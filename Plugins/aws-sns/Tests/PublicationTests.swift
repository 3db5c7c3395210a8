import DriverKit
import Testing

@testable import SNSDriver

/// The data of `create` read as Dapr's SNS binding reads it (`{"message": …, "subject": …}`,
/// each printed with Go's `%v`).
@Suite struct PublicationTests {
    private func publication(_ json: String) throws -> SNSPublication {
        try SNSPublication(data: Array(json.utf8), component: "alerts")
    }

    @Test func messageAndSubjectAreTakenAsTheyAre() throws {
        #expect(
            try publication("{\"message\":\"Disk full\",\"subject\":\"Alert\"}")
                == SNSPublication(message: "Disk full", subject: "Alert"))
        // encoding/json matches field names case-insensitively; the last of a repeat wins.
        #expect(
            try publication("{\"Message\":\"a\",\"SUBJECT\":\"b\",\"message\":\"c\"}")
                == SNSPublication(message: "c", subject: "b"))
    }

    @Test func aMissingOrNullSubjectPublishesNone() throws {
        // Dapr sends the text "<nil>" as the subject here.
        #expect(try publication("{\"message\":\"x\"}").subject == nil)
        #expect(try publication("{\"message\":\"x\",\"subject\":null}").subject == nil)
        #expect(try publication("{\"message\":\"x\"}").parameters(topicArn: "arn").map(\.0) == ["TopicArn", "Message"])
    }

    @Test func otherValuesArePrintedAsGosPercentV() throws {
        let cases: [(String, String)] = [
            ("42", "42"), ("-3.5", "-3.5"), ("123456", "123456"), ("1000000", "1e+06"), ("1234567", "1.234567e+06"),
            ("0.0001", "0.0001"), ("0.00001", "1e-05"), ("1.5e300", "1.5e+300"), ("0", "0"), ("true", "true"),
            ("[1,\"a\",null]", "[1 a <nil>]"), ("{\"b\":2,\"a\":[true],\"b\":3}", "map[a:[true] b:3]"),
        ]
        for (json, text) in cases {
            #expect(try publication("{\"message\":\(json)}").message == text, "\(json)")
        }
    }

    @Test func dataWithoutAMessageOrNotAnObjectIsRefused() throws {
        for (data, problem) in [
            ("{\"subject\":\"s\"}", "data has no \"message\"; send {\"message\": …, \"subject\": …}"),
            ("{\"message\":null}", "data has no \"message\"; send {\"message\": …, \"subject\": …}"),
            ("\"just text\"", "json: cannot unmarshal string into Go value of type sns.dataPayload"),
            ("[1]", "json: cannot unmarshal array into Go value of type sns.dataPayload"),
        ] {
            let error = try #require(throws: DriverError.self) { try publication(data) }
            #expect(error.message == "alerts: cannot publish to SNS: \(problem)")
            #expect(error.code == .invalidArgument)
        }
        let error = try #require(throws: DriverError.self) { try publication("{nope") }
        #expect(error.message.hasPrefix("alerts: cannot publish to SNS: data is not JSON ("), "\(error.message)")
    }
}
