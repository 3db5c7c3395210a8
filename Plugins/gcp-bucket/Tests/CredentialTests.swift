import DriverKit
import DriverTesting
import Foundation
import Synchronization
import Testing

@testable import GCPBucketDriver

/// Service-account credentials against the emulator reached through `endpoint` (which then gets
/// tokens) and GoogleAuth's test token endpoint, which verifies each JWT's signature.
@Suite struct CredentialTests {
    /// Every line the driver logs.
    final class LogLines: Sendable {
        let lines = Mutex<[String]>([])
        var host: DriverHost { .standalone { _, line in self.lines.withLock { $0.append(line) } } }
        var all: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    private func credentials(_ account: TestServiceAccount, signer: TestServiceAccount, tokenURI: String)
        -> [String: String]
    {
        [
            "type": "service_account", "privateKeyID": account.privateKeyID, "privateKey": signer.privateKeyPEM,
            "clientEmail": account.clientEmail, "tokenURI": tokenURI,
        ]
    }

    @Test func requestsCarryATokenFromTheTokenEndpointFetchedOnce() async throws {
        let directory = try temporaryDirectory("gcs-token")
        let account = try TestServiceAccount(in: directory)
        let tokens = try await ServerProcess.googleTokenEndpoint(for: account)
        let (server, bucket) = try await freshBucket("authz")
        let log = LogLines()
        let driver = try makeDriver(
            metadata(server, bucket: bucket, credentials(account, signer: account, tokenURI: tokens.tokenURI)),
            log: log.host)
        try await driver.start()
        defer { Task { await driver.stop() } }
        #expect(!driver.client.access.usesEmulator)
        _ = try await driver.call("create", "with a token", ["key": "authorized"])
        #expect(try await driver.call("get", "", ["key": "authorized"])?.text == "with a token")
        let exchanges = try tokens.tokenExchanges()
        #expect(exchanges.map(\.outcome) == ["ok"], "\(exchanges.map(\.outcome))")
        #expect(exchanges.first?.scope == "https://www.googleapis.com/auth/devstorage.full_control")
        let token = try #require(exchanges.first?.token)
        #expect(!log.all.contains(token) && !log.all.contains("PRIVATE KEY"), "\(log.all)")
    }

    @Test func aJWTSignedWithTheWrongKeyIsRefusedAndTheErrorSaysSo() async throws {
        let directory = try temporaryDirectory("gcs-wrong-key")
        let account = try TestServiceAccount(in: directory, name: "registered")
        let impostor = try TestServiceAccount(in: directory, name: "impostor")
        let tokens = try await ServerProcess.googleTokenEndpoint(for: account)
        let (server, bucket) = try await freshBucket("wrongkey")
        let log = LogLines()
        let driver = try makeDriver(
            metadata(server, bucket: bucket, credentials(account, signer: impostor, tokenURI: tokens.tokenURI)),
            component: "uploads", log: log.host)
        try await driver.start()
        defer { Task { await driver.stop() } }
        let failure = try #require(await driver.failure("create", "x", ["key": "refused"]))
        #expect(failure.hasPrefix("gcp bucket binding error while flushing: uploads: "), "\(failure)")
        #expect(failure.contains("Invalid JWT Signature"), "\(failure)")
        #expect(try tokens.tokenExchanges().first?.outcome != "ok")
        #expect(try server.gcsGet(bucket, "refused") == nil)
        for secret in [impostor.privateKeyPEM, account.privateKeyPEM] {
            let body = secret.split(separator: "\n").dropFirst().first.map(String.init) ?? secret
            #expect(!failure.contains(body) && !log.all.contains(body))
        }
    }

    @Test func aPrivateKeyThatIsNotPEMIsRefusedAtCreateWithoutShowingIt() throws {
        do {
            _ = try makeDriver([
                "bucket": "b", "projectID": "p", "privateKeyID": "id", "clientEmail": "a@b.iam.gserviceaccount.com",
                "privateKey": "not-a-pem-secret-value",
            ])
            Issue.record("a private key that is not PEM was accepted")
        } catch let error as DriverError {
            #expect(error.message.hasPrefix("files: "), "\(error.message)")
            #expect(!error.message.contains("not-a-pem-secret-value"), "\(error.message)")
        }
    }

    @Test func theCredentialsFileNamedByTheEnvironmentIsRead() async throws {
        let directory = try temporaryDirectory("gcs-keyfile")
        let account = try TestServiceAccount(in: directory)
        let tokens = try await ServerProcess.googleTokenEndpoint(for: account)
        let file = "\(directory)/key.json"
        try account.keyFile(projectID: "from-file", tokenURI: tokens.tokenURI).write(
            toFile: file, atomically: true, encoding: .utf8)
        let (server, bucket) = try await freshBucket("keyfile")
        let driver = try makeDriver(
            ["bucket": bucket, "endpoint": server.endpointURL],
            environment: ["GOOGLE_APPLICATION_CREDENTIALS": file])
        try await driver.start()
        defer { Task { await driver.stop() } }
        #expect(driver.client.access.projectID == "from-file")
        _ = try await driver.call("create", "from the key file", ["key": "k"])
        #expect(try tokens.tokenExchanges().map(\.outcome) == ["ok"])
        let signed = try #require(try await driver.call("sign", "", ["key": "k", "signTTL": "1m"])?.text)
        #expect(signed.contains("X-Goog-Credential=bindery-test%40"), "\(signed)")
    }
}
