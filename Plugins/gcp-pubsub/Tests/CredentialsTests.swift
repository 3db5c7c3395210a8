import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import GCPPubSubDriver

/// The service account's token on every call, and credentials that are wrong, missing or
/// malformed: refused with errors that say why and never show the key or a token.
@Suite struct CredentialsTests {
    /// One key pair for the process (openssl genpkey takes a moment), and one made for nothing
    /// (its key is "the wrong key").
    static let accounts = Task {
        let directory = try TemporaryDirectory("pubsub-accounts").path
        return (
            right: try TestServiceAccount(in: directory, name: "pubsub"),
            wrong: try TestServiceAccount(in: directory, name: "intruder")
        )
    }

    /// The credential fields of `account`, exchanging at `tokenURI`.
    static func credentials(_ account: TestServiceAccount, tokenURI: String) -> [String: String] {
        [
            "type": "service_account", "privateKeyID": account.privateKeyID, "privateKey": account.privateKeyPEM,
            "clientEmail": account.clientEmail, "tokenURI": tokenURI,
        ]
    }

    @Test func publishAndPullCarryTheServiceAccountsToken() async throws {
        let (account, _) = try await Self.accounts.value
        let tokens = try await ServerProcess.googleTokenEndpoint(for: account)
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("auth"), uniqueName("auth-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription)
        let credentials = Self.credentials(account, tokenURI: tokens.tokenURI)
        let app = App()
        let consumer = try await input(emulator, topic: topic, subscription: subscription, app: app, credentials)
        #expect(!consumer.access.usesEmulator, "an endpoint with credentials is called with the account's token")
        try await withStopping(consumer) {
            let producer = try await output(emulator, topic: topic, credentials)
            try await withStopping(producer) { try await producer.publish("signed") }
            try await eventually("the message acknowledged", timeout: .seconds(30)) {
                consumer.inputCounts.acknowledged == 1
            }
        }
        #expect(app.bodies == ["signed"])
        let exchanges = try tokens.tokenExchanges()
        #expect(exchanges.count == 2 && exchanges.allSatisfy { $0.outcome == "ok" }, "one per instance, cached")
        #expect(exchanges.allSatisfy { $0.scope?.contains("https://www.googleapis.com/auth/pubsub") == true })
    }

    @Test func aJWTSignedWithTheWrongKeyIsRefusedAndNothingSensitiveIsShown() async throws {
        let (account, wrong) = try await Self.accounts.value
        let tokens = try await ServerProcess.googleTokenEndpoint(for: account)
        let emulator = try await sharedEmulator()
        let (topic, subscription) = (uniqueName("wrongkey"), uniqueName("wrongkey-sub"))
        try await Emulator.create(emulator, topic: topic, subscription: subscription)
        // The account's id and email, signed with another key.
        var credentials = Self.credentials(account, tokenURI: tokens.tokenURI)
        credentials["privateKey"] = wrong.privateKeyPEM
        let producer = try await output(emulator, topic: topic, credentials)
        let error = try await withStopping(producer) {
            try await #require(throws: DriverError.self) { try await producer.publish("refused") }
        }
        #expect(error.message.hasPrefix("orders: "), "\(error.message)")
        #expect(
            error.message.contains("invalid_grant") && error.message.contains("Invalid JWT Signature"),
            "\(error.message)")
        let log = LogLines()
        let consumer = try await input(
            emulator, topic: topic, subscription: subscription, app: App(), credentials, log: log)
        try await withStopping(consumer) {
            try await eventually("the refusal in the log", timeout: .seconds(30)) {
                log.contains("Invalid JWT Signature")
            }
        }
        for text in [error.message] + log.all {
            for secret in [wrong.privateKeyPEM, account.privateKeyPEM, "BEGIN PRIVATE KEY", "MII"] {
                #expect(!text.contains(secret), "a key in: \(text)")
            }
        }
        #expect(try await Emulator.drain(emulator, subscription).isEmpty, "nothing was published")
    }

    @Test func theTokenNeverAppearsInALogLineOrAnError() async throws {
        let (account, _) = try await Self.accounts.value
        let tokens = try await ServerProcess.googleTokenEndpoint(for: account)
        let emulator = try await sharedEmulator()
        let topic = uniqueName("secretless")  // no "token-N" in it: the issued tokens are token-1, token-2…
        let log = LogLines()
        // A subscription that does not exist: input logs its failures with the token in use.
        let consumer = try await input(
            emulator, topic: topic, subscription: uniqueName("missing-sub"), app: App(),
            Self.credentials(account, tokenURI: tokens.tokenURI), log: log)
        try await withStopping(consumer) {
            try await eventually("the missing subscription in the log", timeout: .seconds(30)) {
                log.contains("NOT_FOUND")
            }
        }
        let producer = try await output(emulator, topic: topic, Self.credentials(account, tokenURI: tokens.tokenURI))
        let error = try await withStopping(producer) {
            try await #require(throws: DriverError.self) { try await producer.publish("to a missing topic") }
        }
        // The emulator and the token endpoint are plain http: said once at start, without the key.
        #expect(log.contains("orders: Google credentials are sent over plain http to "), "\(log.all)")
        let issued = try tokens.tokenExchanges().compactMap(\.token)
        #expect(!issued.isEmpty)
        for text in [error.message] + log.all {
            for token in issued { #expect(!text.contains(token), "the token in: \(text)") }
            #expect(!text.contains("Bearer"), "\(text)")
        }
    }

    @Test func aPrivateKeyThatIsNotPEMIsRefusedAtCreate() throws {
        let error = try #require(throws: DriverError.self) {
            try makeDriver([
                "topic": "t", "projectID": "p", "privateKeyID": "k1", "clientEmail": "a@b.iam.gserviceaccount.com",
                "privateKey": "not a key at all",
            ])
        }
        #expect(error.code == .invalidArgument)
        #expect(error.message.hasPrefix("orders: "), "\(error.message)")
        #expect(error.message.contains("privateKey"), "\(error.message)")
        #expect(!error.message.contains("not a key at all"), "the key's text is not shown: \(error.message)")
    }

    @Test func noCredentialsAndNoEmulatorIsRefusedNamingTheWaysToGiveThem() throws {
        let error = try #require(throws: DriverError.self) { try makeDriver(["topic": "t", "projectID": "p"]) }
        #expect(error.message.hasPrefix("orders: no Google credentials"), "\(error.message)")
        #expect(error.message.contains("PUBSUB_EMULATOR_HOST"), "\(error.message)")
    }

    @Test func noProjectIsRefusedNamingTheField() throws {
        let error = try #require(throws: DriverError.self) {
            try makeDriver(["topic": "t", "endpoint": "http://127.0.0.1:1"])
        }
        #expect(error.message.hasPrefix("orders: metadata \"projectID\" is required"), "\(error.message)")
    }
}
