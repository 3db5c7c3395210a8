import DriverKit
import DriverTesting
import Testing

@testable import SMTPDriver

/// STARTTLS with AUTH, and implicit TLS (port 465's rule, on the test server's port).
@Suite struct TLSTests {
    private func authMetadata(_ server: ServerProcess, password: String? = nil) -> [String: String] {
        metadata(
            for: server,
            [
                "user": ServerProcess.smtpUser, "password": password ?? server.password ?? "",
                "skipTLSVerify": "true",
            ])
    }

    @Test func startTLSThenAuthDelivers() async throws {
        let server = try await ServerProcess.smtp(.startTLS)
        let driver = try makeDriver(authMetadata(server))
        try await driver.whileStarted { try await $0.send() }
        let envelope = try #require(try server.smtpEnvelopes().first)
        #expect(envelope.tls, "STARTTLS was used")
        #expect(envelope.login == ServerProcess.smtpUser)
        #expect(envelope.mechanism == "PLAIN", "gomail prefers PLAIN when it is offered with LOGIN")
        #expect(envelope.rcptTos == ["to@example.com"])
        #expect(envelope.body == "<p>Hi</p>\r\n")
    }

    @Test func loginIsUsedWhenTheServerOffersNoPlain() async throws {
        let server = try await ServerProcess.smtp(.startTLS, withoutAuth: ["PLAIN"])
        let driver = try makeDriver(authMetadata(server))
        try await driver.whileStarted { try await $0.send() }
        let envelope = try #require(try server.smtpEnvelopes().first)
        #expect(envelope.mechanism == "LOGIN" && envelope.login == ServerProcess.smtpUser)
    }

    @Test func aUserIsIgnoredWhenTheServerOffersNoAuth() async throws {
        // aiosmtpd offers AUTH only over TLS: in clear it offers none, and gomail then sends
        // without AUTH (to this machine; elsewhere STARTTLS is required, see README).
        let server = try await ServerProcess.smtp()
        let driver = try makeDriver(metadata(for: server, ["user": "someone", "password": "pw"]))
        try await driver.whileStarted { try await $0.send() }
        let envelope = try #require(try server.smtpEnvelopes().first)
        #expect(envelope.login == nil && !envelope.tls)
    }

    @Test func aWrongPasswordFailsWithThe535Reply() async throws {
        let server = try await ServerProcess.smtp(.startTLS)
        let driver = try makeDriver(authMetadata(server, password: "wrong"))
        let failure = try await driver.whileStarted { driver in await driverError { try await driver.send() } }
        #expect(failure?.code == .unavailable)
        #expect(
            failure?.message
                == "error from smtp binding, sending email failed: 535 5.7.8 Authentication credentials invalid")
        #expect(try server.smtpEnvelopes().isEmpty)
    }

    @Test func noUserOnAServerThatRequiresAuthFailsWithItsReply() async throws {
        let server = try await ServerProcess.smtp(.startTLS)
        let driver = try makeDriver(metadata(for: server, ["skipTLSVerify": "true"]))
        let failure = try await driver.whileStarted { driver in await driverError { try await driver.send() } }
        #expect(failure?.message.contains("530") == true, "\(failure?.message ?? "")")
    }

    @Test func aSelfSignedCertificateIsRefusedUnlessSkipTLSVerify() async throws {
        let server = try await ServerProcess.smtp(.startTLS)
        var settings = authMetadata(server)
        settings["skipTLSVerify"] = "false"
        let driver = try makeDriver(settings)
        let failure = try await driver.whileStarted { driver in await driverError { try await driver.send() } }
        let message = failure?.message ?? ""
        #expect(message.hasPrefix("error from smtp binding, sending email failed: 127.0.0.1:\(server.port): "))
        #expect(message.lowercased().contains("certificate"), "\(message)")
        #expect(try server.smtpEnvelopes().isEmpty)
    }

    @Test func implicitTLSOnPort465SpeaksTLSFromTheFirstByte() async throws {
        let server = try await ServerProcess.smtp(.implicitTLS)
        let driver = try makeDriver(authMetadata(server), implicitTLSPort: server.port)
        #expect(driver.settings.implicitTLS)
        try await driver.whileStarted { try await $0.send("\"<p>over TLS</p>\"") }
        let envelope = try #require(try server.smtpEnvelopes().first)
        #expect(envelope.tls)
        #expect(envelope.login == ServerProcess.smtpUser)
        #expect(envelope.body == "<p>over TLS</p>\r\n")
    }

    @Test func implicitTLSWithoutAuthWhenNoUserIsSet() async throws {
        let server = try await ServerProcess.smtp(.implicitTLS)
        let driver = try makeDriver(metadata(for: server, ["skipTLSVerify": "true"]), implicitTLSPort: server.port)
        try await driver.whileStarted { try await $0.send() }
        let envelope = try #require(try server.smtpEnvelopes().first)
        #expect(envelope.tls && envelope.login == nil)
    }

    @Test func plainSMTPToATLSOnlyPortFails() async throws {
        // Port 465's rule decides: an implicit-TLS server on another port is spoken to in clear,
        // as gomail would, and the exchange fails rather than hang.
        let server = try await ServerProcess.smtp(.implicitTLS)
        let driver = try makeDriver(metadata(for: server, ["skipTLSVerify": "true"]))
        let failure = try await driver.whileStarted { driver in
            await driverError {
                _ = try await driver.invoke(
                    InvokeRequest(
                        operation: "create", data: Array("\"x\"".utf8), deadline: deadline(afterMilliseconds: 5000)))
            }
        }
        #expect(failure != nil)
        #expect(try server.smtpEnvelopes().isEmpty)
    }
}
