import DriverKit
import Glibc

// TEMPORARY: the contract of GoogleAuth's GoogleAccess, emulator part only, so that the driver
// builds and its emulator tests run before GoogleAuth lands on main. Deleted at the merge.
final class GoogleAccess: Sendable {
    let baseURL: String?
    let projectID: String?
    let usesEmulator: Bool
    let clientEmail: String? = nil

    init(
        metadata: ComponentMetadata, scopes: [String], emulatorVariable: String, endpoint: String? = nil,
        environment: [String: String]
    ) throws(DriverError) {
        let emulator = environment[emulatorVariable]
        if let emulator, !emulator.isEmpty {
            baseURL = emulator.contains("://") ? emulator : "http://" + emulator
            usesEmulator = true
        } else {
            baseURL = endpoint
            usesEmulator = endpoint != nil
        }
        projectID = metadata.string("projectID", "project_id")
    }

    func start() throws(DriverError) {}
    func stop() async {}
    func authorization() async throws(DriverError) -> String? { nil }
    func tokenRefused() {}
    func sign(_ bytes: [UInt8]) throws(DriverError) -> [UInt8] {
        throw DriverError(.invalidArgument, "no private key (interim GoogleAccess)")
    }
}

enum GoogleProfile {
    static let fields: [MetadataField] =
        [MetadataField("type", description: "service_account")]
        + [
            ("projectID", "project_id", false), ("privateKeyID", "private_key_id", false),
            ("privateKey", "private_key", true), ("clientEmail", "client_email", false),
            ("clientID", "client_id", false), ("authURI", "auth_uri", false), ("tokenURI", "token_uri", false),
            ("authProviderX509CertURL", "auth_provider_x509_cert_url", false),
            ("clientX509CertURL", "client_x509_cert_url", false),
        ].flatMap { camel, snake, sensitive in
            [
                MetadataField(camel, sensitive: sensitive, description: "Google service account: \(snake)."),
                MetadataField(snake, sensitive: sensitive, description: "The same as \(camel)."),
            ]
        }
}

enum ProcessEnvironment {
    static func variables() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return variables
    }
}
