import DriverJSON
import DriverKit
import ServiceEndpoint

/// A twilio.sendgrid component's metadata, checked: no I/O (the CA file is read in `start`).
struct SendGridSettings: Sendable {
    var apiKey: String
    /// The component's values of the message fields (overridable per request).
    var defaults: MailFields
    /// The API's base URL without a trailing slash.
    var endpoint: String
    var caCert: String?

    init(_ configuration: DriverConfiguration) throws(DriverError) {
        let metadata = ComponentMetadata(configuration, fields: SendGridDriver.fields)
        apiKey = try metadata.required(SendGridKey.apiKey)
        func value(_ key: SendGridKey) -> String? { metadata.string(key) }
        defaults = MailFields(
            from: value(.emailFrom).map { MailAddress(name: value(.emailFromName) ?? "", email: $0) },
            to: value(.emailTo).map { MailAddress(name: value(.emailToName) ?? "", email: $0) },
            subject: value(.subject), cc: value(.emailCc), bcc: value(.emailBcc),
            templateID: value(.dynamicTemplateId),
            templateData: try value(.dynamicTemplateData).flatMap(MailFields.templateData))
        endpoint = try ServiceEndpoint.baseURL(metadata, SendGridKey.endpoint, default: SendGridDriver.defaultEndpoint)
        caCert = value(.caCert)
    }

    /// Where mail is sent.
    var sendURL: String { endpoint + "/v3/mail/send" }
}
