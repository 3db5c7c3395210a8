import DriverKit

/// The metadata of Dapr's GCP auth profile: a service account's key file, field by field. Dapr
/// accepts each field in camelCase and in the key file's snake_case (its bucket binding reads
/// `projectID` first, its pubsub binding `project_id`); either works in either driver here.
public enum GoogleProfile {
    /// One field of the key file: its camelCase and snake_case spellings.
    public struct Key: Sendable {
        public var camel: String
        public var snake: String
        public var spellings: [any MetadataKey] { [camel, snake] }
    }

    public static let type = "type"
    public static let projectID = Key(camel: "projectID", snake: "project_id")
    public static let privateKeyID = Key(camel: "privateKeyID", snake: "private_key_id")
    public static let privateKey = Key(camel: "privateKey", snake: "private_key")
    public static let clientEmail = Key(camel: "clientEmail", snake: "client_email")
    public static let clientID = Key(camel: "clientID", snake: "client_id")
    public static let authURI = Key(camel: "authURI", snake: "auth_uri")
    public static let tokenURI = Key(camel: "tokenURI", snake: "token_uri")
    public static let authProviderCertURL = Key(
        camel: "authProviderX509CertURL", snake: "auth_provider_x509_cert_url")
    public static let clientCertURL = Key(camel: "clientX509CertURL", snake: "client_x509_cert_url")

    /// Google's token endpoint, when the credentials name none.
    public static let defaultTokenURI = "https://oauth2.googleapis.com/token"

    /// The profile's fields, to append to a driver's own; both spellings of each.
    public static let fields: [MetadataField] =
        [
            MetadataField(
                type,
                description:
                    "The credentials' type, as in a key file: service_account (the only kind read from metadata).")
        ]
        + pair(
            projectID,
            "The Google Cloud project ID. Default: the project_id of the GOOGLE_APPLICATION_CREDENTIALS file.")
        + pair(
            privateKeyID,
            "The service account key's ID (private_key_id in its key file). When set, the credentials are read from these fields; otherwise from GOOGLE_APPLICATION_CREDENTIALS."
        )
        + pair(privateKey, "The service account's private key, in PEM (private_key in its key file).", sensitive: true)
        + pair(clientEmail, "The service account's email address (client_email in its key file).")
        + pair(clientID, "The service account's client ID (client_id in its key file).")
        + pair(authURI, "The key file's auth_uri (kept for Dapr compatibility; not used).")
        + pair(tokenURI, "Where the signed JWT is exchanged for an access token. Default: \(defaultTokenURI).")
        + pair(
            authProviderCertURL, "The key file's auth_provider_x509_cert_url (kept for Dapr compatibility; not used).")
        + pair(clientCertURL, "The key file's client_x509_cert_url (kept for Dapr compatibility; not used).")

    private static func pair(_ key: Key, _ description: String, sensitive: Bool = false) -> [MetadataField] {
        [
            MetadataField(key.camel, sensitive: sensitive, description: description),
            MetadataField(key.snake, sensitive: sensitive, description: "The same as \(key.camel)."),
        ]
    }
}
