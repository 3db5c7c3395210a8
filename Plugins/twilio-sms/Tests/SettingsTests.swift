import DriverKit
import DriverTesting
import Testing

@testable import TwilioSMSDriver

/// The component's metadata as the driver reads it, and the mistakes it refuses before sending.
@Suite struct SettingsTests {
    private let base = [
        "accountSid": "AC1", "authToken": "secret-token", "fromNumber": "+15005550006",
    ]

    @Test func defaultsAreTwiliosHostAndDaprsFiveMinutes() throws {
        let settings = try makeDriver(base).settings
        #expect(settings.endpoint == "https://api.twilio.com")
        #expect(settings.timeout.milliseconds == 300_000)
        #expect(settings.toNumber == nil && settings.caCert == nil)
        #expect(settings.messagesURL == "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json")
    }

    @Test func endpointLosesItsTrailingSlashAndTheSidIsEscapedInThePath() throws {
        let settings = try makeDriver(
            base.merging(["endpoint": "https://api.dublin.ie1.twilio.com/", "accountSid": "AC 1/x"]) { $1 }
        ).settings
        #expect(
            settings.messagesURL == "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC%201%2Fx/Messages.json")
    }

    @Test func eachRequiredFieldIsNamedWhenMissing() throws {
        for field in ["accountSid", "authToken", "fromNumber"] {
            var metadata = base
            metadata[field] = nil
            let error = try #require(throws: DriverError.self) { try makeDriver(metadata) }
            #expect(error.message == "sms: metadata \"\(field)\" is required")
        }
    }

    @Test func badValuesAreRefusedQuotingThemButNeverTheToken() async throws {
        let endpoint = try #require(throws: DriverError.self) {
            try makeDriver(base.merging(["endpoint": "api.twilio.com"]) { $1 })
        }
        #expect(endpoint.message.contains("\"endpoint\"") && endpoint.message.contains("api.twilio.com"))
        let timeout = try #require(throws: DriverError.self) {
            try makeDriver(base.merging(["timeout": "soon"]) { $1 })
        }
        #expect(timeout.message.contains("\"timeout\"") && timeout.message.contains("soon"))
        let notPEM = try makeDriver(base.merging(["caCert": "/nonexistent/ca.pem"]) { $1 })
        let error = await driverError { try await notPEM.start() }
        #expect(
            error?.message
                == "sms: metadata \"caCert\" is neither PEM text nor a readable file: open /nonexistent/ca.pem: No such file or directory"
        )
        await notPEM.stop()
    }

    @Test func aPlainHTTPEndpointIsWarnedAbout() async throws {
        let log = LogLines()
        let driver = try makeDriver(base.merging(["endpoint": "http://127.0.0.1:9"]) { $1 }, log: log)
        try await driver.whileStarted { _ in }
        #expect(
            log.all.contains(
                "warn sms: endpoint http://127.0.0.1:9 is not https: the auth token crosses the network unencrypted"),
            "\(log.all)")
        #expect(log.all.allSatisfy { !$0.contains("secret-token") })
    }

    @Test func onlyCreateIsSupported() async throws {
        let driver = try makeDriver(base)
        let error = try await driver.whileStarted { driver in
            await driverError { _ = try await driver.invoke(InvokeRequest(operation: "get")) }
        }
        #expect(error?.code == .unsupported)
        #expect(error?.message == "binding sms does not support operation get. supported operations:create")
    }
}
