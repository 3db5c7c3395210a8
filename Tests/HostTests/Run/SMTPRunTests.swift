import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// bindings.smtp through `bindery run` (the built bindery-smtp.so, a component file, Dapr's HTTP
/// API) against a real SMTP server (aiosmtpd), and `bindery validate` (issue 11).
@Suite struct SMTPRunTests {
    private func start(_ components: String, environment: [String: String] = [:]) async throws -> BinderyProcess {
        try await BinderyProcess(["--resources-path", components], environment: environment)
    }

    @Test func createLandsWithTheEnvelopeAndHeadersDaprSends() async throws {
        let server = try await ServerProcess.smtp()
        let components = try temporaryDirectory("smtp-components")
        try writeComponent(
            components, name: "mail", type: "bindings.smtp",
            metadata: [
                ("host", "127.0.0.1"), ("port", String(server.port)), ("emailFrom", "Shop <shop@example.com>"),
                ("emailTo", "a@example.com;b@example.com"), ("emailCC", "c@example.com"),
                ("emailBCC", "hidden@example.com"), ("subject", "Order received"), ("priority", "1"),
            ])
        let bindery = try await start(components)
        defer { bindery.stop() }

        let sent = try await bindery.invoke(
            "mail", "create", data: "\"<h1>Danke schön</h1>\"", metadata: ["subject": "Bestätigung"])
        #expect(sent.status == 204, "\(sent.text)")
        let envelope = try #require(try await server.smtpEnvelopes(count: 1).first)
        #expect(envelope.mailFrom == "shop@example.com")
        #expect(envelope.rcptTos == ["a@example.com", "b@example.com", "c@example.com", "hidden@example.com"])
        #expect(envelope.header("From") == ["Shop <shop@example.com>"])
        #expect(envelope.header("To") == ["a@example.com, b@example.com"])
        #expect(envelope.header("Cc") == ["c@example.com"])
        #expect(envelope.header("Bcc").isEmpty)
        #expect(envelope.header("Subject") == ["=?UTF-8?q?Best=C3=A4tigung?="])
        #expect(envelope.header("X-priority") == ["1"])
        #expect(envelope.header("Mime-Version") == ["1.0"])
        #expect(envelope.header("Content-Type") == ["text/html; charset=UTF-8"])
        #expect(envelope.header("Content-Transfer-Encoding") == ["quoted-printable"])
        #expect(envelope.header("Date").count == 1)
        #expect(envelope.body == "<h1>Danke sch=C3=B6n</h1>\r\n")

        let bad = try await bindery.invoke("mail", "create", data: "\"x\"", metadata: ["priority": "7"])
        #expect(bad.status == 500)
        #expect(bad.json?["errorCode"] as? String == "ERR_INVOKE_OUTPUT_BINDING")
        let message = bad.json?["message"] as? String ?? ""
        #expect(message.hasPrefix("error invoking output binding mail: smtp binding error:  priority value must be"))
        #expect(try server.smtpEnvelopes().count == 1)
    }

    @Test func startTLSAndAuthWithThePasswordFromTheEnvironment() async throws {
        let server = try await ServerProcess.smtp(.startTLS)
        let components = try temporaryDirectory("smtp-components")
        let component = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: secure-mail
            spec:
              type: bindings.smtp
              version: v1
              metadata:
                - name: host
                  value: "127.0.0.1"
                - name: port
                  value: "\(server.port)"
                - name: user
                  value: "\(ServerProcess.smtpUser)"
                - name: password
                  envRef: SMTP_TEST_PASSWORD
                - name: skipTLSVerify
                  value: "true"
                - name: emailFrom
                  value: "sender@example.com"
                - name: subject
                  value: "Secure"

            """
        try component.write(toFile: "\(components)/secure-mail.yaml", atomically: true, encoding: .utf8)
        let bindery = try await start(components, environment: ["SMTP_TEST_PASSWORD": server.password ?? ""])
        defer { bindery.stop() }

        let sent = try await bindery.invoke(
            "secure-mail", "create", data: "\"<p>secret</p>\"", metadata: ["emailTo": "to@example.com"])
        #expect(sent.status == 204, "\(sent.text)")
        let envelope = try #require(try await server.smtpEnvelopes(count: 1).first)
        #expect(envelope.tls && envelope.login == ServerProcess.smtpUser)
        #expect(envelope.rcptTos == ["to@example.com"])

        let noRecipient = try await bindery.invoke("secure-mail", "create", data: "\"x\"")
        #expect(noRecipient.status == 500)
        #expect(
            noRecipient.json?["message"] as? String
                == "error invoking output binding secure-mail: smtp binding error: emailTo property not supplied in configuration- or request-metadata"
        )
        #expect(!bindery.log.contains(server.password ?? "open sesame"), "the password never reaches the log")
    }

    @Test func aWrongPasswordAnswers500WithTheServersReply() async throws {
        let server = try await ServerProcess.smtp(.startTLS)
        let components = try temporaryDirectory("smtp-components")
        try writeComponent(
            components, name: "mail", type: "bindings.smtp",
            metadata: [
                ("host", "127.0.0.1"), ("port", String(server.port)), ("user", ServerProcess.smtpUser),
                ("password", "wrong"), ("skipTLSVerify", "true"), ("emailFrom", "a@example.com"),
                ("emailTo", "b@example.com"), ("subject", "s"),
            ])
        let bindery = try await start(components)
        defer { bindery.stop() }
        let answer = try await bindery.invoke("mail", "create", data: "\"x\"")
        #expect(answer.status == 500)
        #expect(
            answer.json?["message"] as? String
                == "error invoking output binding mail: error from smtp binding, sending email failed: 535 5.7.8 Authentication credentials invalid"
        )
    }

    @Test func validateCatchesAMissingHost() throws {
        let components = try temporaryDirectory("smtp-validate")
        try writeComponent(
            components, name: "mail", type: "bindings.smtp",
            metadata: [("emailFrom", "a@example.com"), ("emailTo", "b@example.com"), ("subject", "s")])
        let result = try run(
            try Paths.bindery, ["validate", "--resources-path", components], environment: ["HOME": NSHomeDirectory()])
        #expect(result.status != 0)
        #expect(
            result.stdout.contains("component \"mail\" (bindings.smtp): required metadata field \"host\" is missing"),
            "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1 components, 1 errors"), "\(result.stdout)")
    }
}
