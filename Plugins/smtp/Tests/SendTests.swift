import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import SMTPDriver

/// Messages sent to a real SMTP server (aiosmtpd) without TLS: the envelope and every header
/// as received, overrides, the body, refusals, and the server going away and coming back.
@Suite struct SendTests {
    @Test func envelopeAndHeadersArriveAsGomailSendsThem() async throws {
        let server = try await ServerProcess.smtp()
        let driver = try makeDriver(
            metadata(
                for: server,
                [
                    "emailFrom": "Shop <shop@example.com>", "emailTo": "a@example.com;b@example.com",
                    "emailCC": "c@example.com", "emailBCC": "d@example.com;a@example.com", "subject": "Your order",
                    "priority": "2",
                ]))
        try await driver.whileStarted { try await $0.send("\"<h1>Thanks!</h1>\"") }
        let envelope = try #require(try server.smtpEnvelopes().first)
        #expect(envelope.mailFrom == "shop@example.com")
        #expect(envelope.rcptTos == ["a@example.com", "b@example.com", "c@example.com", "d@example.com"])
        #expect(envelope.ehlo == "localhost", "Go's smtp client says EHLO localhost")
        #expect(envelope.tls == false && envelope.login == nil)
        #expect(
            envelope.headerNames == [
                "Mime-Version", "Date", "From", "To", "Cc", "Subject", "X-priority", "Content-Type",
                "Content-Transfer-Encoding",
            ])
        #expect(envelope.header("Mime-Version") == ["1.0"])
        #expect(envelope.header("From") == ["Shop <shop@example.com>"])
        #expect(envelope.header("To") == ["a@example.com, b@example.com"])
        #expect(envelope.header("Cc") == ["c@example.com"])
        #expect(envelope.header("Bcc").isEmpty && !envelope.content.contains("d@example.com"))
        #expect(envelope.header("Subject") == ["Your order"])
        #expect(envelope.header("X-priority") == ["2"])
        #expect(envelope.header("Content-Type") == ["text/html; charset=UTF-8"])
        #expect(envelope.header("Content-Transfer-Encoding") == ["quoted-printable"])
        let date = try #require(envelope.header("Date").first)
        #expect(date.wholeMatch(of: /[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}/) != nil)
        #expect(envelope.body == "<h1>Thanks!</h1>\r\n")
    }

    @Test func requestMetadataOverridesEachFieldForThatRequestOnly() async throws {
        let server = try await ServerProcess.smtp()
        let driver = try makeDriver(metadata(for: server, ["emailCC": "cc@example.com"]))
        try await driver.whileStarted { driver in
            try await driver.send(
                "\"override\"",
                [
                    "emailFrom": "other@example.com", "emailTo": "x@example.com;y@example.com",
                    "emailCC": "z@example.com", "emailBCC": "hidden@example.com", "subject": "Überschrift",
                    "priority": "5",
                ])
            try await driver.send("\"defaults\"", ["emailTo": ""])
        }
        let envelopes = try server.smtpEnvelopes()
        try #require(envelopes.count == 2)
        #expect(envelopes[0].mailFrom == "other@example.com")
        #expect(envelopes[0].rcptTos == ["x@example.com", "y@example.com", "z@example.com", "hidden@example.com"])
        #expect(envelopes[0].header("Subject") == ["=?UTF-8?q?=C3=9Cberschrift?="])
        #expect(envelopes[0].header("X-priority") == ["5"])
        #expect(envelopes[0].header("Cc") == ["z@example.com"])
        // Dapr's binding would keep the first request's overrides for this one (see README).
        #expect(envelopes[1].mailFrom == "sender@example.com")
        #expect(envelopes[1].rcptTos == ["to@example.com", "cc@example.com"])
        #expect(envelopes[1].header("Subject") == ["Hello"])
        #expect(envelopes[1].header("X-priority") == ["3"])
        #expect(envelopes[1].body == "defaults\r\n")
    }

    @Test func bodiesSurviveTheTripByteForByte() async throws {
        let server = try await ServerProcess.smtp()
        let driver = try makeDriver(metadata(for: server))
        let long = String(repeating: "0123456789", count: 30)
        let text = "Grüße\n.a line starting with a dot\n\(long)\ntrailing space \nend"
        let json = "\"" + text.replacingOccurrences(of: "\n", with: "\\n") + "\""
        try await driver.whileStarted { driver in
            try await driver.send(json)
            try await driver.send("{\"raw\":true}")  // not a Go string literal: sent as it is
            try await driver.send("null")  // what Dapr's HTTP API hands over for a missing data field
            try await driver.send("\"\"")
        }
        let envelopes = try server.smtpEnvelopes()
        try #require(envelopes.count == 4)
        for line in envelopes[0].body.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76) }
        #expect(
            decodedQuotedPrintable(envelopes[0].body)
                == Array((text.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n").utf8))
        #expect(envelopes[1].body == "{\"raw\":true}\r\n")
        #expect(envelopes[2].body == "null\r\n")
        #expect(envelopes[3].body == "", "an empty string sends an empty body")
    }

    @Test func missingFieldsAndBadPriorityFailBeforeAnythingIsSent() async throws {
        let server = try await ServerProcess.smtp()
        let driver = try makeDriver(["host": "127.0.0.1", "port": String(server.port)])
        try await driver.whileStarted { driver in
            let noFrom = await driverError { try await driver.send() }
            #expect(noFrom?.code == .invalidArgument)
            #expect(
                noFrom?.message
                    == "smtp binding error: emailFrom property not supplied in configuration- or request-metadata")
            let noSubject = await driverError {
                try await driver.send("\"x\"", ["emailFrom": "a@x.org", "emailTo": "b@x.org"])
            }
            #expect(noSubject?.message.contains("subject property not supplied") == true)
            let priority = await driverError {
                try await driver.send(
                    "\"x\"", ["emailFrom": "a@x.org", "emailTo": "b@x.org", "subject": "s", "priority": "9"])
            }
            #expect(priority?.message.contains("priority value must be between 1 (highest) and 5 (lowest)") == true)
            #expect(priority?.message.contains("\"9\"") == true)
        }
        #expect(try server.smtpEnvelopes().isEmpty)
    }

    @Test func aRefusedRecipientFailsWithTheServersReply() async throws {
        let server = try await ServerProcess.smtp()
        let driver = try makeDriver(metadata(for: server, ["emailTo": "ok@example.com;refuse@example.com"]))
        let failure = try await driver.whileStarted { driver in await driverError { try await driver.send() } }
        #expect(failure?.code == .unavailable)
        #expect(
            failure?.message
                == "error from smtp binding, sending email failed: gomail: could not send email 1: 550 5.1.1 <refuse@example.com>: Recipient address rejected"
        )
        #expect(try server.smtpEnvelopes().isEmpty, "nothing is sent when one recipient is refused, as in Go")
    }

    @Test func aMessageOverTheServersSizeLimitIsRefused() async throws {
        let server = try await ServerProcess.smtp(sizeLimit: 2000)
        let driver = try makeDriver(metadata(for: server))
        try await driver.whileStarted { driver in
            let failure = await driverError { try await driver.send("\"" + String(repeating: "x", count: 5000) + "\"") }
            #expect(failure?.message.hasPrefix("error from smtp binding, sending email failed: ") == true)
            #expect(failure?.message.contains("552") == true, "\(failure?.message ?? "")")
            try await driver.send("\"small\"")
        }
        #expect(try server.smtpEnvelopes().count == 1)
    }

    @Test func serverDownFailsClearlyAndTheNextSendWorksWhenItIsBack() async throws {
        let server = try await ServerProcess.smtp()
        let driver = try makeDriver(metadata(for: server))
        try await driver.whileStarted { driver in
            try await driver.send("\"first\"")
            server.stop()
            let failure = await driverError { try await driver.send("\"lost\"") }
            #expect(failure?.code == .unavailable)
            #expect(failure?.isRetryable == true)
            let message = failure?.message ?? ""
            #expect(
                message.hasPrefix("error from smtp binding, sending email failed: dial tcp 127.0.0.1:\(server.port): "),
                "\(message)")
            try await server.start()
            try await driver.send("\"second\"")
        }
        let bodies = try server.smtpEnvelopes().map(\.body)
        #expect(bodies == ["first\r\n", "second\r\n"])
    }

    @Test func concurrentSendsAllArrive() async throws {
        let server = try await ServerProcess.smtp()
        let driver = try makeDriver(metadata(for: server))
        try await driver.whileStarted { driver in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { try await driver.send("\"message \(index)\"", ["subject": "n\(index)"]) }
                }
                try await group.waitForAll()
            }
        }
        let subjects = Set(try server.smtpEnvelopes().flatMap { $0.header("Subject") })
        #expect(subjects == Set((0..<20).map { "n\($0)" }))
    }

    @Test func stopCancelsASendToAStuckServer() async throws {
        let server = try await ServerProcess.smtp()
        let driver = try makeDriver(metadata(for: server))
        try await driver.start()
        server.freeze(true)
        defer { server.freeze(false) }
        let send = Task { await driverError { try await driver.send() } }
        // The send is queued before stop: stop must end it, whether it connected or not, and
        // without waiting for curl's 120-second response timeout.
        try await Task.sleep(for: .milliseconds(200))
        let start = ContinuousClock.now
        await driver.stop()
        #expect(ContinuousClock.now - start < .seconds(60), "stop waited on the stuck server")
        let failure = await send.value
        #expect(failure?.code == .cancelled)
        server.freeze(false)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try server.smtpEnvelopes().isEmpty, "no truncated message was completed")
        let after = await driverError { try await driver.send() }
        #expect(after?.code == .cancelled || after?.code == .unavailable)
    }

    @Test func theRequestDeadlineBoundsASendToAStuckServer() async throws {
        let server = try await ServerProcess.smtp()
        let driver = try makeDriver(metadata(for: server))
        server.freeze(true)
        defer { server.freeze(false) }
        try await driver.whileStarted { driver in
            let deadline = deadline(afterMilliseconds: 300)
            let failure = await driverError {
                _ = try await driver.invoke(
                    InvokeRequest(operation: "create", data: Array("\"x\"".utf8), deadline: deadline))
            }
            #expect(failure?.code == .timeout)
            #expect(failure?.message.hasPrefix("error from smtp binding, sending email failed: ") == true)
        }
    }
}
