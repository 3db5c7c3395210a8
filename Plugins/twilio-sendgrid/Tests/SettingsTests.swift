import DriverKit
import DriverTesting
import Testing

@testable import SendGridDriver

/// The component's metadata as the driver reads it, and the mistakes it refuses.
@Suite struct SettingsTests {
    @Test func onlyTheKeyIsRequiredAndTheHostIsSendGridsByDefault() throws {
        let settings = try makeDriver(["apiKey": "SG.x"]).settings
        #expect(settings.sendURL == "https://api.sendgrid.com/v3/mail/send")
        #expect(settings.defaults == MailFields())
        let missing = try #require(throws: DriverError.self) { try makeDriver(["emailFrom": "a@example.com"]) }
        #expect(missing.message == "mail: metadata \"apiKey\" is required")
    }

    @Test func templateDataMustBeAJSONObjectAndNullMeansNone() throws {
        let error = try #require(throws: DriverError.self) {
            try makeDriver(["apiKey": "SG.x", "dynamicTemplateData": "{\"a\":"])
        }
        #expect(error.message.hasPrefix("error from SendGrid binding, dynamic template data is not valid JSON: "))
        #expect(
            try makeDriver(["apiKey": "SG.x", "dynamicTemplateData": "null"]).settings.defaults.templateData == nil)
    }

    @Test func aRegionalEndpointIsTakenAndABadOneRefused() throws {
        let eu = try makeDriver(["apiKey": "SG.x", "endpoint": "https://api.eu.sendgrid.com/"]).settings
        #expect(eu.sendURL == "https://api.eu.sendgrid.com/v3/mail/send")
        let bad = try #require(throws: DriverError.self) {
            try makeDriver(["apiKey": "SG.x", "endpoint": "ftp://example.com"])
        }
        #expect(bad.message.contains("\"endpoint\"") && bad.message.contains("ftp://example.com"))
    }

    @Test func aCaCertThatIsNoCertificateIsRefusedAtStart() async throws {
        let driver = try makeDriver([
            "apiKey": "SG.x", "caCert": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
        ])
        let error = await driverError { try await driver.start() }
        #expect(error?.message == "mail: metadata \"caCert\" holds no PEM CERTIFICATE block")
        await driver.stop()
    }

    @Test func onlyCreateIsSupported() async throws {
        let driver = try makeDriver(["apiKey": "SG.x"])
        let error = try await driver.whileStarted { driver in
            await driverError { _ = try await driver.invoke(InvokeRequest(operation: "delete")) }
        }
        #expect(error?.message == "binding mail does not support operation delete. supported operations:create")
    }

    @Test func goValuesPrintAsFmtPrintsThem() {
        #expect(SendGridFailure.goValue(.number("1000000")) == "1e+06")
        #expect(SendGridFailure.goValue(.number("123456")) == "123456")
        #expect(SendGridFailure.goValue(.number("0.00001")) == "1e-05")
        #expect(SendGridFailure.goValue(.number("1.5")) == "1.5")
        #expect(
            SendGridFailure.goValue(.object([.init(key: "b", value: .bool(true)), .init(key: "a", value: .null)]))
                == "map[a:<nil> b:true]")
    }
}
