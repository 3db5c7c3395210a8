import DriverKit

extension SMTPDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal).
    ///
    /// Only `host` is required here: Dapr's metadata.yaml also marks emailFrom, emailTo and
    /// subject required, but its binding accepts a component without them (each request may
    /// supply them) and fails the request that still lacks one; so does this driver.
    static let fields: [MetadataField] = [
        MetadataField(SMTPKey.host, required: true, description: "SMTP server host name or IP address."),
        MetadataField(
            SMTPKey.port, .int, default: "587",
            description:
                "SMTP server port. 465 connects with TLS at once (implicit TLS); other ports use STARTTLS when the server offers it."
        ),
        MetadataField(
            SMTPKey.user,
            description:
                "User name for SMTP AUTH (PLAIN, LOGIN or CRAM-MD5, as offered); needs password. Default: no AUTH."),
        MetadataField(SMTPKey.password, sensitive: true, description: "Password for SMTP AUTH; needs user."),
        MetadataField(
            SMTPKey.skipTLSVerify, .bool, default: "false",
            description: "Accept any server certificate (insecure; for self-signed test servers)."),
        MetadataField(
            SMTPKey.emailFrom,
            description:
                "Sender address (user@example.com or Name <user@example.com>); request metadata emailFrom overrides it."
        ),
        MetadataField(
            SMTPKey.emailTo,
            description: "Recipient addresses separated by semicolons; request metadata emailTo overrides it."),
        MetadataField(
            SMTPKey.emailCC,
            description: "Cc addresses separated by semicolons; request metadata emailCC overrides it."),
        MetadataField(
            SMTPKey.emailBCC,
            description:
                "Bcc addresses separated by semicolons (envelope only, no header); request metadata emailBCC overrides it."
        ),
        MetadataField(
            SMTPKey.subject,
            description: "Subject line (non-ASCII is RFC 2047-encoded); request metadata subject overrides it."),
        MetadataField(
            SMTPKey.priority, .int, default: "3",
            description:
                "Value of the X-priority header, 1 (highest) to 5 (lowest); request metadata priority overrides it."),
    ]
}
