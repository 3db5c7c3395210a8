import DriverKit
import DriverTesting
import Foundation
import GoogleAuth
import Testing

/// Credentials and where requests go, read as Dapr's GCP bindings and Google's clients read
/// them; what bindery does not support is refused by name, and the key is never repeated.
@Suite struct CredentialsTests {
    let account = TestAccounts.main

    @Test func metadataCredentialsInCamelCaseOrSnakeCase() throws {
        let camel = try access(metadata(for: account, tokenURI: "http://127.0.0.1:1/token"))
        #expect(camel.projectID == "shop" && camel.clientEmail == account.clientEmail && !camel.usesEmulator)
        #expect(camel.baseURL == nil && camel.account?.tokenURI == "http://127.0.0.1:1/token")
        let snake = try access([
            "project_id": "shop", "private_key_id": account.privateKeyID, "private_key": account.privateKeyPEM,
            "client_email": account.clientEmail, "client_id": "1",
        ])
        #expect(snake.projectID == "shop" && snake.account?.privateKeyID == account.privateKeyID)
        #expect(snake.account?.tokenURI == "https://oauth2.googleapis.com/token", "Google's token endpoint by default")
    }

    @Test func aKeyWithEscapedNewlinesIsRead() throws {
        var fields = metadata(for: account, tokenURI: "http://127.0.0.1:1/token")
        fields["privateKey"] = account.privateKeyPEM.replacingOccurrences(of: "\n", with: "\\n")
        #expect(try access(fields).account != nil)
    }

    @Test func aMissingOrBadFieldIsNamedAndTheKeyIsNeverShown() {
        var fields = metadata(for: account, tokenURI: "http://127.0.0.1:1/token")
        fields["clientEmail"] = nil
        #expect(
            failure { _ = try access(fields) }
                == "images: metadata \"clientEmail\" (or \"client_email\") is required with privateKeyID")
        fields = metadata(for: account, tokenURI: "http://127.0.0.1:1/token")
        fields["privateKey"] = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-secret-material"
        let notPEM = failure { _ = try access(fields) }
        #expect(notPEM.hasPrefix("images: metadata \"privateKey\" (sensitive, not shown): it is not a PEM private key"))
        #expect(!notPEM.contains("secret-material"))
        fields = metadata(for: account, tokenURI: "http://127.0.0.1:1/token")
        fields["type"] = "authorized_user"
        #expect(failure { _ = try access(fields) }.contains("metadata \"type\" is \"authorized_user\""))
    }

    @Test func withoutPrivateKeyIDTheKeyFileIsRead() throws {
        let directory = try TemporaryDirectory("key-file")
        try directory.write(
            "key.json", try account.keyFile(projectID: "from-file", tokenURI: "http://127.0.0.1:1/token"))
        let environment = ["GOOGLE_APPLICATION_CREDENTIALS": "\(directory.path)/key.json"]
        let fromFile = try access([:], environment: environment)
        #expect(fromFile.projectID == "from-file" && fromFile.account?.source == "\(directory.path)/key.json")
        #expect(try access(["projectID": "from-metadata"], environment: environment).projectID == "from-metadata")
    }

    @Test func otherKindsOfCredentialsFilesAreRefusedByName() throws {
        let directory = try TemporaryDirectory("user-file")
        try directory.write("adc.json", #"{"type": "authorized_user", "refresh_token": "r", "client_id": "c"}"#)
        let refused = failure {
            _ = try access([:], environment: ["GOOGLE_APPLICATION_CREDENTIALS": "\(directory.path)/adc.json"])
        }
        #expect(refused.contains("holds \"authorized_user\" credentials; bindery reads only service_account key files"))
        let missing = failure {
            _ = try access([:], environment: ["GOOGLE_APPLICATION_CREDENTIALS": "/nonexistent.json"])
        }
        #expect(missing == "images: cannot read the GOOGLE_APPLICATION_CREDENTIALS file \"/nonexistent.json\"")
    }

    @Test func withoutCredentialsOnlyAnEmulatorIsAllowed() throws {
        #expect(
            failure { _ = try access(["projectID": "shop"]) }.hasPrefix(
                "images: no Google credentials: set privateKeyID"))
        let emulator = try access(["projectID": "shop"], environment: ["STORAGE_EMULATOR_HOST": "127.0.0.1:9023"])
        #expect(emulator.usesEmulator && emulator.baseURL == "http://127.0.0.1:9023")
        let endpoint = try access(["projectID": "shop"], endpoint: "http://127.0.0.1:9024/")
        #expect(endpoint.usesEmulator && endpoint.baseURL == "http://127.0.0.1:9024")
    }

    @Test func anEmulatorGetsNoTokenEvenWithCredentialsButAnEndpointDoes() async throws {
        let fields = metadata(for: account, tokenURI: "http://127.0.0.1:1/token")
        let emulator = try access(fields, environment: ["STORAGE_EMULATOR_HOST": "http://127.0.0.1:9023"])
        #expect(emulator.usesEmulator && emulator.baseURL == "http://127.0.0.1:9023")
        #expect(try await emulator.authorization() == nil)
        #expect(try emulator.sign([1]).count == 256, "the key still signs (signed URLs)")
        #expect(!(try access(fields, endpoint: "https://storage.example.com").usesEmulator))
    }

    @Test func onAnEmulatorAnUnusableKeyFileStopsNothingButSigning() throws {
        let directory = try TemporaryDirectory("adc-emulator")
        try directory.write("adc.json", #"{"type": "authorized_user", "refresh_token": "r", "client_id": "c"}"#)
        let environment = [
            "GOOGLE_APPLICATION_CREDENTIALS": "\(directory.path)/adc.json", "STORAGE_EMULATOR_HOST": "127.0.0.1:9023",
        ]
        let emulator = try access(["projectID": "shop"], environment: environment)
        #expect(emulator.usesEmulator && emulator.account == nil)
        #expect(failure { _ = try emulator.sign([1]) }.contains("holds \"authorized_user\" credentials"))
    }

    @Test func credentialsOverPlainHTTPAreWarnedAbout() throws {
        #expect(
            try access(metadata(for: account, tokenURI: "https://oauth2.example.com/token")).plainHTTPWarning == nil)
        let plain = try access(
            metadata(for: account, tokenURI: "https://oauth2.example.com/token"), endpoint: "http://gcs.internal:80")
        #expect(
            plain.plainHTTPWarning
                == "images: Google credentials are sent over plain http to http://gcs.internal:80; use https")
        #expect(
            try access(["projectID": "shop"], endpoint: "http://127.0.0.1:9").plainHTTPWarning == nil,
            "no credentials, none sent")
    }

    @Test func signingWithoutAKeyIsAClearError() throws {
        let emulator = try access([:], environment: ["STORAGE_EMULATOR_HOST": "127.0.0.1:9023"])
        #expect(failure { _ = try emulator.sign([1]) }.hasPrefix("images: signing needs a service account key"))
    }
}
