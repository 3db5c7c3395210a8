import DriverKit
import DriverTesting
import Foundation
import ServiceEndpoint
import Testing

@testable import TwilioSMSDriver

/// Messages sent to the local HTTPS target standing in for Twilio: the request as Twilio
/// receives it, the recipient rules, Twilio's error bodies, TLS trust, and the target going away.
@Suite struct SendTests {
    @Test func createPostsTheFormWithBasicAuthAsDaprDoes() async throws {
        let target = try await ServerProcess.saasTarget()
        let driver = try makeDriver(try metadata(for: target))
        try await driver.whileStarted { try await $0.send("\"Hello wörld & more+\"") }
        let request = try #require(try target.targetRequests().first)
        #expect(request.tls && request.status == 201)
        #expect(request.method == "POST")
        #expect(request.path == "/2010-04-01/Accounts/\(ServerProcess.twilioAccountSid)/Messages.json")
        let basic = Data("\(ServerProcess.twilioAccountSid):\(ServerProcess.twilioAuthToken)".utf8)
            .base64EncodedString()
        #expect(request.header("Authorization") == ["Basic \(basic)"])
        #expect(request.header("Accept") == ["application/json"])
        #expect(request.header("Content-Type") == ["application/x-www-form-urlencoded"])
        // url.Values.Encode: keys sorted, QueryEscape'd (space as +).
        #expect(request.body == "Body=Hello+w%C3%B6rld+%26+more%2B&From=%2B15005550006&To=%2B15551234567")
        #expect(request.form?["Body"] == ["Hello wörld & more+"])
    }

    @Test func concurrentSendsAllLandOnce() async throws {
        let target = try await ServerProcess.saasTarget()
        let driver = try makeDriver(try metadata(for: target))
        try await driver.whileStarted { driver in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<40 { group.addTask { try await driver.send("\"message \(n)\"") } }
                try await group.waitForAll()
            }
        }
        let bodies = try target.targetRequests().compactMap { $0.form?["Body"]?.first }
        #expect(bodies.count == 40 && Set(bodies) == Set((0..<40).map { "message \($0)" }))
    }

    @Test func theComponentsToNumberWinsAndTheRequestsIsUsedOnlyWithoutOne() async throws {
        let target = try await ServerProcess.saasTarget()
        let fixed = try makeDriver(try metadata(for: target))
        try await fixed.whileStarted { try await $0.send("\"a\"", ["toNumber": "+15550000001"]) }
        let open = try makeDriver(try metadata(for: target, ["toNumber": ""]))
        try await open.whileStarted { driver in
            try await driver.send("\"b\"", ["toNumber": "+15550000002"])
            let missing = await driverError { try await driver.send("\"c\"") }
            #expect(missing?.message == "twilio missing \"toNumber\" field")
            #expect(missing?.code == .invalidArgument)
        }
        let requests = try target.targetRequests()
        #expect(requests.map { $0.form?["To"] ?? [] } == [["+15551234567"], ["+15550000002"]])
    }

    @Test func theDataBecomesTheTextAsDaprUnquotesIt() {
        let cases: [(String, String)] = [
            ("\"hello world\"", "hello world"), ("hello world", "hello world"), ("42", "42"), ("4.20", "4.2"),
            ("1e21", "1000000000000000000000"), ("1e400", "1e400"), ("true", "true"), ("null", ""), ("", ""),
            ("{\"a\": 1}", "{\"a\": 1}"), ("[1, 2]", "[1, 2]"), ("\"line\\nbreak\"", "line\nbreak"),
        ]
        for (data, text) in cases {
            #expect(FormText.messageBody(Array(data.utf8)) == text, "data \(data)")
        }
        #expect(
            GoURLEscaping.form([("To", "+1 555"), ("Body", "a=b&c~d_e.f-g/h")])
                == "Body=a%3Db%26c~d_e.f-g%2Fh&To=%2B1+555")
    }

    @Test func twilioErrorsReachTheAppWithCodeMessageAndLink() async throws {
        let target = try await ServerProcess.saasTarget()
        let driver = try makeDriver(try metadata(for: target, ["toNumber": ""]))
        try await driver.whileStarted { driver in
            let invalid = await driverError { try await driver.send("\"x\"", ["toNumber": "+15005550001"]) }
            #expect(
                invalid?.message
                    == "error from Twilio (400): 400 Bad Request: Twilio error 21211: The 'To' number +15005550001 is not a valid phone number. (more info: https://www.twilio.com/docs/errors/21211)"
            )
            #expect(invalid?.metadata["twilioErrorCode"] == "21211")
            #expect(invalid?.code == .invalidArgument && invalid?.isRetryable == false)
            let empty = await driverError { try await driver.send("\"\"", ["toNumber": "+15551234567"]) }
            #expect(
                empty?.message
                    == "error from Twilio (400): 400 Bad Request: Twilio error 21602: Message body is required. (more info: https://www.twilio.com/docs/errors/21602)"
            )
        }
        #expect(try target.targetRequests().map(\.status) == [400, 400])
    }

    @Test func aWrongAuthTokenIsRefusedAndTheTokenIsNeverShown() async throws {
        let target = try await ServerProcess.saasTarget()
        let log = LogLines()
        let secret = "wrong-token-9d8c7b"
        let driver = try makeDriver(try metadata(for: target, ["authToken": secret]), log: log)
        let error = try await driver.whileStarted { driver in await driverError { try await driver.send() } }
        #expect(
            error?.message
                == "error from Twilio (401): 401 Unauthorized: Twilio error 20003: Authenticate (Your AccountSid or AuthToken was incorrect.) (more info: https://www.twilio.com/docs/errors/20003)"
        )
        let message = error?.message ?? ""
        #expect(!message.contains(secret))
        #expect(!log.all.isEmpty && log.all.allSatisfy { !$0.contains(secret) }, "\(log.all)")
        let good = LogLines()
        let working = try makeDriver(try metadata(for: target), log: good)
        try await working.whileStarted { try await $0.send() }
        #expect(good.all.allSatisfy { !$0.contains(ServerProcess.twilioAuthToken) }, "\(good.all)")
    }

    @Test func anUntrustedCertificateFailsAndCaCertAsAFilePathTrustsIt() async throws {
        let target = try await ServerProcess.saasTarget()
        var settings = try metadata(for: target)
        settings["caCert"] = nil
        let untrusting = try makeDriver(settings)
        let refused = try await untrusting.whileStarted { driver in await driverError { try await driver.send() } }
        #expect(
            refused?.message.hasPrefix("sms: Post \"\(target.targetURL)/2010-04-01/Accounts/") == true,
            "\(refused?.message ?? "")")
        #expect(refused?.message.contains("certificate") == true, "\(refused?.message ?? "")")
        settings["caCert"] = target.certificatePath
        let trusting = try makeDriver(settings)
        try await trusting.whileStarted { try await $0.send() }
        #expect(try target.targetRequests().count == 1)
    }

    @Test func theTargetStoppedFailsRetryablyAndStartedAgainWorks() async throws {
        let target = try await ServerProcess.saasTarget()
        let driver = try makeDriver(try metadata(for: target))
        try await driver.whileStarted { driver in
            try await driver.send("\"first\"")
            target.stop()
            let down = await driverError { try await driver.send("\"lost\"") }
            #expect(down?.code == .unavailable && down?.isRetryable == true, "\(String(describing: down))")
            #expect(down?.message.hasPrefix("sms: Post ") == true, "\(down?.message ?? "")")
            try await target.start()
            try await driver.send("\"second\"")
        }
        #expect(try target.targetRequests().compactMap { $0.form?["Body"]?.first } == ["first", "second"])
    }

    @Test func timeoutBoundsARequestToAServerThatDoesNotAnswer() async throws {
        let target = try await ServerProcess.saasTarget()
        let driver = try makeDriver(try metadata(for: target, ["timeout": "1s"]))
        try await driver.whileStarted { driver in
            target.freeze(true)
            defer { target.freeze(false) }
            let error = await driverError { try await driver.send() }
            #expect(error?.code == .timeout, "\(String(describing: error))")
        }
    }
}
