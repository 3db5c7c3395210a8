import DriverKit
import DriverTesting
import Testing

@testable import GCPBucketDriver

/// The component's metadata, read at create without any I/O.
@Suite struct SettingsTests {
    @Test func aMissingBucketOrProjectIsRefusedNamingTheComponent() throws {
        #expect(throws: DriverError.self) { try makeDriver(["projectID": "p", "endpoint": "http://127.0.0.1:1"]) }
        do {
            _ = try makeDriver(["bucket": "b", "endpoint": "http://127.0.0.1:1"], component: "uploads")
            Issue.record("a component without a project was accepted")
        } catch let error as DriverError {
            #expect(error.message.hasPrefix("uploads: missing property `project_id` in metadata"))
        }
        // The snake_case spelling Dapr accepts.
        let driver = try makeDriver(["bucket": "b", "project_id": "p", "endpoint": "http://127.0.0.1:1"])
        #expect(driver.client.access.projectID == "p")
    }

    @Test func optionsReadTheComponentAndTheRequestOverridesThem() throws {
        let driver = try makeDriver([
            "bucket": "b", "projectID": "p", "endpoint": "http://127.0.0.1:1", "DecodeBase64": "yes",
            "signTTL": "1h", "contentType": "text/csv",
        ])
        let defaults = driver.settings.defaults
        #expect(
            defaults == BucketOptions(decodeBase64: true, encodeBase64: false, signTTL: "1h", contentType: "text/csv"))
        let merged = defaults.overridden(by: [
            "decodeBase64": "off", "encodeBase64": "1", "signTTL": "5m", "contentType": "application/json",
        ])
        #expect(
            merged
                == BucketOptions(
                    decodeBase64: false, encodeBase64: true, signTTL: "5m", contentType: "application/json"))
        #expect(defaults.overridden(by: ["decodeBase64": ""]) == defaults)
    }

    @Test func badValuesAreRefusedQuotingThem() throws {
        let base = ["bucket": "b", "projectID": "p", "endpoint": "http://127.0.0.1:1"]
        for (key, value, expected) in [
            ("signTTL", "soon", "files: metadata \"signTTL\" is \"soon\""),
            ("signTTL", "200h", "files: metadata \"signTTL\" is \"200h\""),
            ("decodeBase64", "maybe", "files: metadata \"decodeBase64\" is \"maybe\""),
            ("endpoint", "127.0.0.1:1", "files: metadata \"endpoint\" is \"127.0.0.1:1\""),
        ] {
            do {
                _ = try makeDriver(base.merging([key: value]) { $1 })
                Issue.record("\(key)=\(value) was accepted")
            } catch let error as DriverError {
                #expect(error.message.hasPrefix(expected), "\(error.message)")
            }
        }
    }

    @Test func theEmulatorVariableWinsOverEndpointAsInGoogleClients() throws {
        let driver = try makeDriver(
            ["bucket": "b", "projectID": "p", "endpoint": "http://127.0.0.1:1"],
            environment: ["STORAGE_EMULATOR_HOST": "127.0.0.1:4443"])
        #expect(driver.client.baseURL == "http://127.0.0.1:4443" && driver.client.access.usesEmulator)
    }

    @Test func signTTLsAreGoDurationsUpToSevenDays() throws {
        #expect(try BucketOptions.signSeconds("15m") == 900)
        #expect(try BucketOptions.signSeconds("168h") == 604_800)
        #expect(throws: DriverError.self) { try BucketOptions.signSeconds("0s") }
        #expect(throws: DriverError.self) { try BucketOptions.signSeconds("169h") }
        do {
            _ = try BucketOptions.signSeconds("x")
            Issue.record("signTTL \"x\" was accepted")
        } catch {
            #expect(
                error.message
                    == "gcp bucket binding error: gcp bucket binding error while parsing signTTL: time: invalid duration \"x\""
            )
        }
    }

    @Test func contentIsSniffedAsGoDoes() {
        #expect(ContentSniffer.contentType(Array("plain words".utf8)) == "text/plain; charset=utf-8")
        #expect(ContentSniffer.contentType([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == "image/png")
        #expect(ContentSniffer.contentType(Array("  <html><body>".utf8)) == "text/html; charset=utf-8")
        #expect(ContentSniffer.contentType(Array("%PDF-1.7".utf8)) == "application/pdf")
        #expect(ContentSniffer.contentType([0, 1, 2]) == "application/octet-stream")
        #expect(ContentSniffer.contentType([]) == "text/plain; charset=utf-8")
    }

    @Test func dataIsUnquotedOnlyWhenAllOfItIsAGoString() {
        #expect(GoValues.unquote(Array("\"a\\tb\"".utf8)) == Array("a\tb".utf8))
        #expect(GoValues.unquote(Array("`raw \\n`".utf8)) == Array("raw \\n".utf8))
        #expect(GoValues.unquote(Array("{\"a\":1}".utf8)) == Array("{\"a\":1}".utf8))
        #expect(GoValues.unquote(Array("\"a\" \"b\"".utf8)) == Array("\"a\" \"b\"".utf8))
    }
}
