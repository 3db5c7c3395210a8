import DriverKit

/// Metadata keys of this driver, spelled as in metadata.yaml; the same names are the request
/// metadata overrides.
enum SendGridKey: String, MetadataKey {
    case apiKey, emailFrom, emailFromName, emailTo, emailToName, subject, emailCc, emailBcc
    case dynamicTemplateData, dynamicTemplateId, endpoint, caCert
}

extension SendGridDriver {
    /// SendGrid's API host, which Dapr's binding does not let a component change.
    static let defaultEndpoint = "https://api.sendgrid.com"

    /// The component metadata, in the order of metadata.yaml (a test keeps them equal).
    ///
    /// Only apiKey is required: Dapr's metadata.yaml also marks emailFrom, emailTo and subject
    /// required, but its binding accepts a component without them (each request may supply
    /// them) and fails the request that still lacks one; so does this driver.
    static let fields: [MetadataField] = [
        MetadataField(
            SendGridKey.apiKey, required: true, sensitive: true,
            description: "SendGrid API key (SG.…), sent as Authorization: Bearer."),
        MetadataField(
            SendGridKey.emailFrom,
            description: "Sender address; request metadata emailFrom (with emailFromName) overrides it."),
        MetadataField(
            SendGridKey.emailFromName, description: "Sender name, used with the component's emailFrom."),
        MetadataField(
            SendGridKey.emailTo,
            description: "Recipient address; request metadata emailTo (with emailToName) overrides it."),
        MetadataField(SendGridKey.emailToName, description: "Recipient name, used with the component's emailTo."),
        MetadataField(SendGridKey.subject, description: "Subject line; request metadata subject overrides it."),
        MetadataField(SendGridKey.emailCc, description: "One Cc address; request metadata emailCc overrides it."),
        MetadataField(SendGridKey.emailBcc, description: "One Bcc address; request metadata emailBcc overrides it."),
        MetadataField(
            SendGridKey.dynamicTemplateData,
            description:
                "JSON object of dynamic template data (checked at start); request metadata dynamicTemplateData replaces it."
        ),
        MetadataField(
            SendGridKey.dynamicTemplateId,
            description: "Dynamic template ID (d-…); request metadata dynamicTemplateId overrides it."),
        MetadataField(
            SendGridKey.endpoint, default: defaultEndpoint,
            description:
                "Base URL of SendGrid's API (bindery extension, not in Dapr): https://api.eu.sendgrid.com for EU regional subusers, or a test server."
        ),
        MetadataField(
            SendGridKey.caCert,
            description:
                "CA certificate(s) to trust instead of the system store, PEM text or a file path (bindery extension, for a test server)."
        ),
    ]
}
