import DriverKit
import Testing

@testable import HTTPDriver

@Suite struct SettingsTests {
    @Test func missingURLIsRejected() {
        #expect(throws: DriverError.self) { try makeDriver([:]) }
        do {
            _ = try makeDriver(["responseTimeout": "5s"])
        } catch let error as DriverError {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "web: metadata \"url\" is required")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: ["localhost:8080", "ftp://example.com", "http://", "https:///path", "http://a b"])
    func invalidURLIsRejectedQuotingIt(url: String) {
        expectRefused(["url": url], quoting: "url", url)
    }

    @Test func keysMatchCaseInsensitively() throws {
        let settings = try HTTPSettings(
            DriverConfiguration(
                componentName: "web", type: "bindings.http", directions: [.output],
                metadata: [
                    "URL": "http://a", "RESPONSETIMEOUT": "2s", "errorifnot2xx": "no",
                    "SecurityToken": "t", "securitytokenheader": "X-Token", "mtlsrootca": "/ca.pem",
                ]))
        #expect(settings.url == "http://a")
        #expect(settings.responseTimeout == GoDuration(nanoseconds: 2_000_000_000))
        #expect(settings.errorIfNot2XX == false)
        #expect(settings.securityToken?.header == "X-Token")
        #expect(settings.rootCA == "/ca.pem")
    }

    @Test func defaultsMatchDapr() throws {
        let settings = try makeSettings(["url": "http://a"])
        #expect(settings.responseTimeout == nil)
        #expect(settings.maxResponseBodySize == Int64(100 << 20))
        #expect(settings.errorIfNot2XX)
        #expect(settings.securityToken == nil)
    }

    @Test func tokenNeedsBothFields() throws {
        #expect(try makeSettings(["url": "http://a", "securityToken": "t"]).securityToken == nil)
        #expect(try makeSettings(["url": "http://a", "securityTokenHeader": "X-T"]).securityToken == nil)
    }

    @Test(arguments: [
        ("100Mi", Int64(100 << 20)), ("512Ki", 512 << 10), ("1Gi", 1 << 30), ("2048", 2048), ("1k", 1000),
        ("1.5Ki", 1536),
    ])
    func bodySizeUnits(text: String, bytes: Int64) throws {
        #expect(try makeSettings(["url": "http://a", "maxResponseBodySize": text]).maxResponseBodySize == bytes)
    }

    @Test(arguments: ["0", "-1", "-5Mi"])
    func nonPositiveBodySizeIsUnlimited(text: String) throws {
        #expect(try makeSettings(["url": "http://a", "maxResponseBodySize": text]).maxResponseBodySize == nil)
    }

    @Test func badValuesAreRejectedQuotingThem() {
        for (key, value) in [
            ("maxResponseBodySize", "lots"), ("responseTimeout", "soon"), ("responseTimeout", "-1s"),
            ("MTLSRenegotiation", "Sometimes"),
        ] {
            expectRefused(["url": "http://a", key: value], quoting: key, value)
        }
    }

    @Test(arguments: [
        ("1h30m", Int64(5_400_000_000_000)), ("500ms", 500_000_000), ("2.5s", 2_500_000_000),
        ("30", 30_000_000_000), ("1m0.5s", 60_500_000_000), ("100us", 100_000),
    ])
    func goDurations(text: String, nanoseconds: Int64) {
        #expect(GoDuration(parsing: text)?.nanoseconds == nanoseconds)
    }

    @Test func truthyValuesAreDaprs() {
        for text in ["y", "YES", "true", "T", "on", "1", " true "] { #expect(MetadataText.isTruthy(text)) }
        for text in ["n", "false", "0", "off", "", "truthy"] { #expect(!MetadataText.isTruthy(text)) }
    }

    /// Settings from `metadata` are refused as an invalid argument that quotes `key` and `value`.
    private func expectRefused(_ metadata: [String: String], quoting key: String, _ value: String) {
        do {
            _ = try makeSettings(metadata)
            Issue.record("\(key)=\(value) was accepted")
        } catch let error as DriverError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("\"\(key)\" is \"\(value)\""), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    private func makeSettings(_ metadata: [String: String]) throws -> HTTPSettings {
        try HTTPSettings(
            DriverConfiguration(
                componentName: "web", type: "bindings.http", directions: [.output], metadata: metadata))
    }
}
