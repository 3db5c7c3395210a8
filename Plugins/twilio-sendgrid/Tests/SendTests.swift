import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import SendGridDriver

/// Mail sent to the local HTTPS target standing in for SendGrid: the request as SendGrid
/// receives it (byte for byte the JSON sendgrid-go marshals), overrides, SendGrid's error
/// bodies, the key never shown, and the target going away.
@Suite struct SendTests {
    @Test func createPostsTheJSONDaprBuildsWithTheBearerKey() async throws {
        let target = try await ServerProcess.saasTarget()
        let driver = try makeDriver(
            try metadata(
                for: target,
                [
                    "emailFromName": "Shop & Co", "emailToName": "Ann", "emailCc": "cc@example.com",
                    "emailBcc": "audit@example.com", "dynamicTemplateId": "d-0123456789abcdef0123456789abcdef",
                    "dynamicTemplateData": "{\"total\": 12.50, \"name\": \"Ann <3\", \"items\": [1, 2], \"a\": null}",
                ]))
        try await driver.whileStarted { try await $0.send("\"<h1>Thanks</h1>\"") }
        let request = try #require(try target.targetRequests().first)
        #expect(request.tls && request.status == 202 && request.method == "POST" && request.path == "/v3/mail/send")
        #expect(request.header("Authorization") == ["Bearer \(ServerProcess.sendGridAPIKey)"])
        #expect(request.header("Content-Type") == ["application/json"])
        #expect(request.header("Accept") == ["application/json"])
        // SGMailV3 through encoding/json: struct order, empty fields left out, the template data
        // re-encoded from a Go map (keys sorted, 12.50 as 12.5), <, > and & escaped.
        #expect(
            request.body
                == #"{"from":{"name":"Shop \u0026 Co","email":"shop@example.com"},"personalizations":[{"to":[{"name":"Ann","email":"ann@example.com"}],"cc":[{"email":"cc@example.com"}],"bcc":[{"email":"audit@example.com"}],"subject":"Your order","dynamic_template_data":{"a":null,"items":[1,2],"name":"Ann \u003c3","total":12.5}}],"content":[{"type":"text/html","value":"\u003ch1\u003eThanks\u003c/h1\u003e"}],"template_id":"d-0123456789abcdef0123456789abcdef"}"#
        )
    }

    @Test func requestMetadataOverridesEachFieldForThatRequestOnly() async throws {
        let target = try await ServerProcess.saasTarget()
        let driver = try makeDriver(
            try metadata(for: target, ["emailFromName": "Shop", "emailToName": "Ann", "emailCc": "cc@example.com"]))
        try await driver.whileStarted { driver in
            try await driver.send(
                "\"override\"",
                [
                    "emailFrom": "other@example.com", "emailTo": "bob@example.com", "emailToName": "Bob",
                    "subject": "Überschrift", "emailCc": "x@example.com", "emailBcc": "y@example.com",
                    "dynamicTemplateId": "d-ffffffffffffffffffffffffffffffff", "dynamicTemplateData": "{\"k\":\"v\"}",
                ])
            try await driver.send("\"defaults\"", ["emailTo": ""])
        }
        let bodies = try target.targetRequests().map(\.body)
        try #require(bodies.count == 2)
        // A request's emailFrom comes without the component's emailFromName, as in Dapr.
        #expect(
            bodies[0]
                == #"{"from":{"email":"other@example.com"},"personalizations":[{"to":[{"name":"Bob","email":"bob@example.com"}],"cc":[{"email":"x@example.com"}],"bcc":[{"email":"y@example.com"}],"subject":"Überschrift","dynamic_template_data":{"k":"v"}}],"content":[{"type":"text/html","value":"override"}],"template_id":"d-ffffffffffffffffffffffffffffffff"}"#
        )
        #expect(
            bodies[1]
                == #"{"from":{"name":"Shop","email":"shop@example.com"},"personalizations":[{"to":[{"name":"Ann","email":"ann@example.com"}],"cc":[{"email":"cc@example.com"}],"subject":"Your order"}],"content":[{"type":"text/html","value":"defaults"}]}"#
        )
    }

    @Test func missingFieldsAreRefusedInDaprsWordsWithoutARequest() async throws {
        let target = try await ServerProcess.saasTarget()
        let bare = try makeDriver(try metadata(for: target, ["emailFrom": "", "emailTo": "", "subject": ""]))
        try await bare.whileStarted { driver in
            let from = await driverError { try await driver.send() }
            #expect(from?.message == "error SendGrid from email not supplied")
            let to = await driverError { try await driver.send("\"x\"", ["emailFrom": "a@example.com"]) }
            #expect(to?.message == "error SendGrid to email not supplied")
            let subject = await driverError {
                try await driver.send("\"x\"", ["emailFrom": "a@example.com", "emailTo": "b@example.com"])
            }
            #expect(subject?.message == "error SendGrid subject not supplied")
            let data = await driverError {
                try await driver.send(
                    "\"x\"",
                    [
                        "emailFrom": "a@example.com", "emailTo": "b@example.com", "subject": "s",
                        "dynamicTemplateData": "[1]",
                    ])
            }
            #expect(
                data?.message
                    == "error from SendGrid binding, dynamic template data is not valid JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
            )
        }
        #expect(try target.targetRequests().isEmpty)
    }

    @Test func aRequestsTemplateDataReplacesTheComponentsWholeAndIsReadAfterTheAddresses() async throws {
        let target = try await ServerProcess.saasTarget()
        let driver = try makeDriver(try metadata(for: target, ["dynamicTemplateData": "{\"a\":1,\"b\":2}"]))
        try await driver.whileStarted { driver in
            try await driver.send("\"x\"", ["dynamicTemplateData": "{\"b\":3}"])
            try await driver.send("\"y\"", ["dynamicTemplateData": "null"])
            try await driver.send("\"z\"")
        }
        // Dapr checks the subject before it reads the request's template data.
        let noSubject = try makeDriver(try metadata(for: target, ["subject": ""]))
        let order = try await noSubject.whileStarted { driver in
            await driverError { try await driver.send("\"w\"", ["dynamicTemplateData": "{"]) }
        }
        #expect(order?.message == "error SendGrid subject not supplied")
        let data = try target.targetRequests().map { request in
            ((request.json as? [String: Any])?["personalizations"] as? [[String: Any]])?.first?["dynamic_template_data"]
                as? [String: Int]
        }
        #expect(data == [["b": 3], nil, ["a": 1, "b": 2]])
    }

    @Test func sendGridsErrorsReachTheAppAsDaprPrintsThem() async throws {
        let target = try await ServerProcess.saasTarget()
        let driver = try makeDriver(try metadata(for: target, ["emailTo": "not-an-address"]))
        try await driver.whileStarted { driver in
            let invalid = await driverError { try await driver.send() }
            #expect(
                invalid?.message
                    == "error from SendGrid: sending email failed: 400 {Errors:[{Field:personalizations.0.to.0.email Message:Does not contain a valid address. Help:http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to}]}"
            )
            #expect(invalid?.code == .invalidArgument && invalid?.isRetryable == false)
            let template = await driverError {
                try await driver.send("\"x\"", ["emailTo": "ann@example.com", "dynamicTemplateId": "welcome"])
            }
            #expect(
                template?.message
                    == "error from SendGrid: sending email failed: 400 {Errors:[{Field:template_id Message:The template_id must be a valid GUID, you provided 'welcome'. Help:http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.template_id}]}"
            )
        }
    }

    @Test func aWrongKeyIsRefusedAndNoKeyIsEverShown() async throws {
        let target = try await ServerProcess.saasTarget()
        let log = LogLines()
        let wrong = "SG.wrong.key-0a1b2c"
        let driver = try makeDriver(try metadata(for: target, ["apiKey": wrong]), log: log)
        let error = try await driver.whileStarted { driver in await driverError { try await driver.send() } }
        #expect(
            error?.message
                == "error from SendGrid: sending email failed: 401 {Errors:[{Field:<nil> Message:The provided authorization grant is invalid, expired, or revoked Help:<nil>}]}"
        )
        let good = LogLines()
        let working = try makeDriver(try metadata(for: target), log: good)
        try await working.whileStarted { try await $0.send() }
        #expect(good.all.contains("info sent email with SendGrid"), "\(good.all)")
        for line in log.all + good.all + [error?.message ?? ""] {
            #expect(!line.contains(wrong) && !line.contains(ServerProcess.sendGridAPIKey), "\(line)")
        }
    }

    @Test func theBodyIsTheDataAsGoUnquotesIt() {
        let cases: [(String, String?)] = [
            ("\"<p>Hi</p>\"", "<p>Hi</p>"), ("\"a\\nb\\t\\u00e9\\x41\\101\"", "a\nb\té\u{41}A"), ("`raw\\n`", "raw\\n"),
            ("'x'", "x"), ("\"a\\/b\"", nil), ("plain", nil), ("\"unterminated", nil), ("\"a\"b\"", nil),
            ("{\"a\":1}", nil), ("''", nil),
        ]
        for (data, text) in cases {
            #expect(GoUnquote.unquote(data) == text, "data \(data)")
        }
    }

    @Test func theTargetStoppedFailsRetryablyAndStartedAgainWorks() async throws {
        let target = try await ServerProcess.saasTarget()
        let driver = try makeDriver(try metadata(for: target))
        try await driver.whileStarted { driver in
            try await driver.send("\"first\"")
            target.stop()
            let down = await driverError { try await driver.send("\"lost\"") }
            #expect(down?.code == .unavailable && down?.isRetryable == true, "\(String(describing: down))")
            #expect(
                down?.message.hasPrefix(
                    "error from SendGrid: sending email failed: Post \"\(target.targetURL)/v3/mail/send\"")
                    == true, "\(down?.message ?? "")")
            try await target.start()
            try await driver.send("\"second\"")
        }
        #expect(try target.targetRequests().map(\.status) == [202, 202])
    }
}
