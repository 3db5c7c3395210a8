import DriverKit
import DriverTesting
import GoogleAuth
import Synchronization

/// One key pair per test process (openssl takes a while to make one), and a second one whose
/// signatures the token endpoint must refuse.
enum TestAccounts {
    static let directory = try! TemporaryDirectory("google-auth")
    static let main = try! TestServiceAccount(in: directory.path, name: "main")
    static let other = try! TestServiceAccount(in: directory.path, name: "other")
}

/// A GoogleAccess for component "images" of a gcp.bucket-like driver.
func access(
    _ metadata: [String: String], environment: [String: String] = [:], endpoint: String? = nil,
    clock: TestClock = TestClock()
) throws(DriverError) -> GoogleAccess {
    let configuration = DriverConfiguration(
        componentName: "images", type: "bindings.gcp.bucket", directions: [.output], metadata: metadata)
    return try GoogleAccess(
        metadata: ComponentMetadata(configuration, fields: GoogleProfile.fields),
        scopes: ["https://www.googleapis.com/auth/devstorage.full_control"], emulatorVariable: "STORAGE_EMULATOR_HOST",
        endpoint: endpoint, environment: environment, now: { clock.now })
}

/// The real clock, moved forward by `advance`: token lifetimes pass without waiting.
final class TestClock: Sendable {
    private let offset = Mutex(Duration.zero)
    var now: ContinuousClock.Instant { ContinuousClock.now + offset.withLock { $0 } }
    func advance(_ duration: Duration) { offset.withLock { $0 += duration } }
}

/// The metadata a Dapr component gives for `account`, camelCase.
func metadata(for account: TestServiceAccount, tokenURI: String) -> [String: String] {
    [
        "type": "service_account", "projectID": "shop", "privateKeyID": account.privateKeyID,
        "privateKey": account.privateKeyPEM, "clientEmail": account.clientEmail, "clientID": "1234567890",
        "tokenURI": tokenURI,
    ]
}

/// What `make` throws, as text ("no error" when it does not).
func failure(_ make: () throws -> Void) -> String {
    do {
        try make()
        return "no error"
    } catch {
        return String(describing: error)
    }
}
