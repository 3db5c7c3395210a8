import DaprMetadata
import Testing

@testable import BinderyCore

@Suite struct RedactorTests {
    static let key = String(repeating: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC", count: 36)

    @Test func aWholeValueIsMaskedWhereverItIsQuoted() {
        let redactor = Redactor(secrets: [Self.key, "hunter2"])
        #expect(
            redactor.redacted("provided \"MTLSClientKey\" value: open \(Self.key): File name too long")
                == "provided \"MTLSClientKey\" value: open ***: File name too long")
        #expect(redactor.redacted("auth hunter2 failed, hunter2 again") == "auth *** failed, *** again")
        #expect(redactor.redacted("hunter2hunter2") == "***")
        #expect(redactor.redacted("nothing to hide") == "nothing to hide")
    }

    @Test func valuesShorterThanFourBytesAreLeftAlone() {
        let redactor = Redactor(secrets: ["", "a", "no", "abc", "abcd"])
        #expect(redactor.redacted("a no abc abcd") == "a no abc ***")
        #expect(Redactor(secrets: ["", "x"]).isEmpty)
    }

    /// A driver that quotes a prefix, or an error buffer that truncates the value, shows at
    /// least 16 bytes of it: those are masked; a shorter piece of a long value is not.
    @Test func anySixteenBytesOfAValueAreMasked() {
        let redactor = Redactor(secrets: [Self.key])
        let prefix = String(Self.key.prefix(100))
        #expect(redactor.redacted("key \(prefix)… is invalid") == "key ***… is invalid")
        let middle = String(Self.key.dropFirst(7).prefix(16))
        #expect(redactor.redacted("[\(middle)]") == "[***]")
        let short = String(Self.key.prefix(15))
        #expect(redactor.redacted("[\(short)]") == "[\(short)]")
    }

    @Test func eachLineOfAMultiLineValueIsMasked() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\r\nshort\n-----END PRIVATE KEY-----\n"
        let redactor = Redactor(secrets: [pem])
        #expect(redactor.redacted("line 2 is MIIEvQIBADAN") == "line 2 is ***")
        #expect(redactor.redacted("a short line stays") == "a short line stays")
        #expect(redactor.redacted("found -----BEGIN PRIVATE KEY----- first") == "found *** first")
        #expect(redactor.redacted("PEM PRIVATE KEY block missing") == "PEM PRIVATE KEY block missing")
    }

    @Test func aValueQuotedWithEscapesIsMasked() {
        let redactor = Redactor(secrets: ["pa\"ss\\word", "-----BEGIN KEY-----\nMIIEvQIBADAN\n-----END KEY-----"])
        #expect(redactor.redacted("password \"pa\\\"ss\\\\word\" refused") == "password \"***\" refused")
        #expect(
            redactor.redacted("{\"key\":\"-----BEGIN KEY-----\\nMIIEvQIBADAN\\n-----END KEY-----\"}")
                == "{\"key\":\"***\"}")
    }

    /// A match that starts or ends inside a multi-byte character masks the whole character:
    /// the result is valid UTF-8 with no replacement character.
    @Test func masksCoverWholeCharacters() {
        // é is C3 A9, ũ is C5 A9, è is C3 A8: the matches below start or end inside a character.
        let redactor = Redactor(secrets: ["aé0123456789abcdefghij", "0123456789abcdefghijé"])
        #expect(redactor.redacted("bũ0123456789abcde!") == "b***!")
        #expect(redactor.redacted("[0123456789abcdefghijè]") == "[***]")
        #expect(redactor.redacted("ö: aé0123456789abcdefghij") == "ö: ***")
    }

    @Test func errorOutcomesAreMaskedAndSuccessesPassAsTheyAre() {
        let redactor = Redactor(secrets: ["s3cret-token"])
        let response = InvokeResponse(
            data: Array("s3cret-token".utf8), metadata: [("h", "s3cret-token")], contentType: "")
        let failed = redactor.redacted(
            InvokeOutcome(
                status: DriverStatus(code: 5, name: "BD_E_UNAVAILABLE"), response: response,
                message: "token s3cret-token refused"))
        #expect(failed.message == "token *** refused")
        #expect(failed.response?.metadata.map(\.value) == ["***"])
        let succeeded = redactor.redacted(
            InvokeOutcome(status: DriverStatus(code: 0, name: "BD_OK"), response: response, message: ""))
        #expect(succeeded.response?.data == Array("s3cret-token".utf8))
    }

    /// Sensitive fields (names in any case, as Dapr matches them) and values from a secret
    /// store are secrets; other values are not.
    @Test func aComponentsSecretsAreItsSensitiveAndSecretStoreValues() {
        var component = Component(name: "orders", type: "bindings.http")
        component.metadata = [
            .init(name: "mtlsclientkey", value: "pasted-private-key", line: 1),
            .init(name: "url", value: "http://vault.example/orders", line: 2, fromSecretStore: true),
            .init(name: "responseTimeout", value: "30s-or-so", line: 3),
        ]
        let fields = [
            DriverDescriptor.Field(
                name: "MTLSClientKey", description: "", defaultValue: nil, required: false, sensitive: true),
            DriverDescriptor.Field(name: "url", description: "", defaultValue: nil, required: true, sensitive: false),
        ]
        let redactor = Redactor(component, fields: fields)
        #expect(
            redactor.redacted("pasted-private-key, http://vault.example/orders, 30s-or-so")
                == "***, ***, 30s-or-so")
    }

    /// `validate` and the registry check types before any driver runs: a value from a secret
    /// store is not repeated in the error, as a sensitive one is not.
    @Test func aSecretStoreValueOfTheWrongTypeIsNotQuoted() {
        var component = Component(name: "tick", type: "bindings.cron")
        component.metadata = [.init(name: "interval", value: "vault-value-1234", line: 1, fromSecretStore: true)]
        let fields = [
            DriverDescriptor.Field(
                name: "interval", description: "", defaultValue: nil, required: false, sensitive: false,
                type: .duration)
        ]
        let problems = MetadataCheck.check(component, against: fields)
        #expect(problems.count == 1)
        #expect(problems.allSatisfy { !$0.description.contains("vault-value-1234") })
    }
}
