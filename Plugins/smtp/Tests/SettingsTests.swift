import DriverKit
import DriverTesting
import Testing

@testable import SMTPDriver

/// The component configuration: defaults, and a clear error naming the component, the field
/// and the value for each bad one.
@Suite struct SettingsTests {
    private func error(_ metadata: [String: String]) -> String? {
        do {
            _ = try makeDriver(metadata)
            return nil
        } catch {
            return (error as? DriverError)?.message ?? "\(error)"
        }
    }

    @Test func defaultsAreDaprs() throws {
        let settings = try makeDriver(["host": "mail.example.com"]).settings
        #expect(settings.port == 587)
        #expect(settings.defaults.priority == 3)
        #expect(settings.skipTLSVerify == false)
        #expect(settings.user == nil && settings.password == nil)
        #expect(settings.defaults.from == nil && settings.defaults.to == nil && settings.defaults.subject == nil)
        #expect(!settings.implicitTLS && !settings.requiresTLS)
    }

    @Test func everyFieldIsRead() throws {
        let settings = try makeDriver([
            "HOST": "mail.example.com", "port": "465", "user": "u", "password": "p", "skipTLSVerify": "true",
            "emailFrom": "f@x.org", "emailTo": "t@x.org", "emailCC": "c@x.org", "emailBCC": "b@x.org",
            "subject": "S", "priority": "5",
        ]).settings
        #expect(settings.host == "mail.example.com" && settings.port == 465 && settings.implicitTLS)
        #expect(settings.user == "u" && settings.password == "p" && settings.skipTLSVerify)
        #expect(
            settings.defaults
                == MailFields(from: "f@x.org", to: "t@x.org", cc: "c@x.org", bcc: "b@x.org", subject: "S", priority: 5))
    }

    @Test func aPasswordForAnotherMachineNeedsTLS() throws {
        #expect(try makeDriver(["host": "mail.example.com", "user": "u", "password": "p"]).settings.requiresTLS)
        #expect(try !makeDriver(["host": "127.0.0.1", "user": "u", "password": "p"]).settings.requiresTLS)
        #expect(try !makeDriver(["host": "localhost", "user": "u", "password": "p"]).settings.requiresTLS)
        #expect(
            try !makeDriver(["host": "mail.example.com", "port": "465", "user": "u", "password": "p"]).settings
                .requiresTLS)
    }

    @Test func badValuesAreRefusedNamingComponentFieldAndValue() {
        #expect(error([:]) == "mail: metadata \"host\" is required")
        for host in ["smtp://mail.example.com", "mail.example.com:25", "a b", "user@mail", "mail/x"] {
            let message = error(["host": host]) ?? ""
            #expect(message.hasPrefix("mail: metadata \"host\" is \"\(host)\""), "\(message)")
        }
        #expect(error(["host": "::1"]) == nil, "an IPv6 address is a host")
        for port in ["0", "70000", "smtp", "25.5"] {
            let message = error(["host": "h", "port": port]) ?? ""
            #expect(message.hasPrefix("mail: metadata \"port\" is \"\(port)\", expected"), "\(message)")
        }
        for priority in ["0", "6", "urgent"] {
            let message = error(["host": "h", "priority": priority]) ?? ""
            #expect(message == "mail: metadata \"priority\" is \"\(priority)\", expected a whole number from 1 to 5")
        }
        #expect(
            error(["host": "h", "skipTLSVerify": "perhaps"])?.hasPrefix("mail: metadata \"skipTLSVerify\"") == true)
        let pair = "mail: smtp binding error: both user and password fields are required in metadata"
        #expect(error(["host": "h", "user": "u"]) == pair)
        #expect(error(["host": "h", "password": "p"]) == pair)
    }

    @Test func unknownOperationsAreRefused() async throws {
        let driver = try makeDriver(["host": "127.0.0.1"])
        let failure = await driverError {
            _ = try await driver.invoke(InvokeRequest(operation: "get", metadata: [:]))
        }
        #expect(failure?.code == .unsupported)
        #expect(failure?.message == "operation \"get\" is not supported by bindings.smtp (only create)")
    }
}
