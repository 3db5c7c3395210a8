import DriverJSON
import DriverKit
import Foundation

/// A service account's credentials: who signs the JWT, with which key, and where it is exchanged.
///
/// Read as Dapr's GCP bindings read them: from the component's metadata when it sets
/// `privateKeyID` (either spelling), else from the key file `GOOGLE_APPLICATION_CREDENTIALS`
/// names (what Google's Application Default Credentials try first). Other kinds of Google
/// credentials are refused with a clear error: bindery signs only service-account JWTs.
public struct GoogleServiceAccount: Sendable {
    public var projectID: String?
    public var clientEmail: String
    public var privateKeyID: String
    public var tokenURI: String
    public let key: RSASigningKey
    /// "metadata" or the key file's path, for messages.
    public var source: String

    /// The credentials the component or the environment gives; nil when neither gives any.
    public static func find(
        _ metadata: ComponentMetadata, environment: [String: String]
    ) throws(DriverError) -> GoogleServiceAccount? {
        if metadata.lookup(GoogleProfile.privateKeyID.spellings)?.text != nil {
            return try fromMetadata(metadata)
        }
        guard let path = environment["GOOGLE_APPLICATION_CREDENTIALS"], !path.isEmpty else { return nil }
        return try fromFile(path, component: metadata.component)
    }

    static func fromMetadata(_ metadata: ComponentMetadata) throws(DriverError) -> GoogleServiceAccount {
        let component = metadata.component
        if let type = metadata.string(GoogleProfile.type), type != "service_account" {
            throw metadata.invalid(GoogleProfile.type, type, expected: "service_account (the only kind bindery reads)")
        }
        func required(_ key: GoogleProfile.Key) throws(DriverError) -> String {
            guard let text = metadata.lookup(key.spellings)?.text else {
                throw DriverError(
                    .invalidArgument,
                    "\(component): metadata \"\(key.camel)\" (or \"\(key.snake)\") is required with privateKeyID")
            }
            return text
        }
        let pem = try required(GoogleProfile.privateKey)
        let key: RSASigningKey
        do {
            key = try RSASigningKey(pem: unescapedNewlines(pem))
        } catch {
            throw DriverError(
                .invalidArgument, "\(component): metadata \"privateKey\" (sensitive, not shown): \(error.reason)")
        }
        return GoogleServiceAccount(
            projectID: metadata.lookup(GoogleProfile.projectID.spellings)?.text,
            clientEmail: try required(GoogleProfile.clientEmail),
            privateKeyID: try required(GoogleProfile.privateKeyID),
            tokenURI: metadata.lookup(GoogleProfile.tokenURI.spellings)?.text ?? GoogleProfile.defaultTokenURI,
            key: key, source: "metadata")
    }

    static func fromFile(_ path: String, component: String) throws(DriverError) -> GoogleServiceAccount {
        let origin = "GOOGLE_APPLICATION_CREDENTIALS file \"\(path)\""
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DriverError(.invalidArgument, "\(component): cannot read the \(origin)")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes: Array(data))
        } catch {
            throw DriverError(.invalidArgument, "\(component): the \(origin) is not JSON: \(error.message)")
        }
        let type = json["type"]?.string ?? ""
        guard type == "service_account" else {
            let kind = type.isEmpty ? "has no \"type\"" : "holds \"\(type)\" credentials"
            throw DriverError(
                .invalidArgument,
                "\(component): the \(origin) \(kind); bindery reads only service_account key files (not gcloud's user credentials, workload identity federation or the metadata server)"
            )
        }
        func required(_ name: String) throws(DriverError) -> String {
            guard let text = json[name]?.string, !text.isEmpty else {
                throw DriverError(.invalidArgument, "\(component): the \(origin) has no \"\(name)\"")
            }
            return text
        }
        let pem = try required("private_key")
        let key: RSASigningKey
        do {
            key = try RSASigningKey(pem: pem)
        } catch {
            throw DriverError(.invalidArgument, "\(component): the \(origin)'s private_key: \(error.reason)")
        }
        return GoogleServiceAccount(
            projectID: json["project_id"]?.string, clientEmail: try required("client_email"),
            privateKeyID: try required("private_key_id"),
            tokenURI: json["token_uri"]?.string ?? GoogleProfile.defaultTokenURI, key: key, source: path)
    }

    /// A key pasted from a JSON key file into YAML keeps its `\n` escapes when the YAML string
    /// is single-quoted or plain; PEM needs real line breaks.
    static func unescapedNewlines(_ pem: String) -> String {
        pem.contains("\n") ? pem : pem.replacingOccurrences(of: "\\n", with: "\n")
    }
}
