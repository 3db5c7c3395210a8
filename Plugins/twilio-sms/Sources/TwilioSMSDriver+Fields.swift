import DriverKit

/// Metadata keys of this driver, spelled as in metadata.yaml.
enum SMSKey: String, MetadataKey {
    case accountSid, authToken, fromNumber, toNumber, timeout, endpoint, caCert
}

extension TwilioSMSDriver {
    /// Twilio's API host, which Dapr's binding hard-codes.
    static let defaultEndpoint = "https://api.twilio.com"

    /// The component metadata, in the order of metadata.yaml (a test keeps them equal).
    ///
    /// `toNumber` is not required: Dapr's metadata.yaml marks it so, but its binding accepts a
    /// component without it and takes each request's `toNumber` then; so does this driver.
    static let fields: [MetadataField] = [
        MetadataField(SMSKey.accountSid, required: true, description: "Twilio account SID (AC…); the Basic auth user."),
        MetadataField(
            SMSKey.authToken, required: true, sensitive: true,
            description: "Twilio auth token of that account; the Basic auth password."),
        MetadataField(SMSKey.fromNumber, required: true, description: "Sender phone number (E.164, +15551234567)."),
        MetadataField(
            SMSKey.toNumber,
            description:
                "Recipient phone number. When set, every message goes to it; when empty, each request's metadata toNumber is used (as Dapr)."
        ),
        MetadataField(
            SMSKey.timeout, .duration, default: "5m",
            description:
                "Longest time one request to Twilio may take (a Go duration or whole seconds). 5m as Dapr's code; its metadata.yaml says 30s."
        ),
        MetadataField(
            SMSKey.endpoint, default: defaultEndpoint,
            description:
                "Base URL of Twilio's API (bindery extension, not in Dapr): for a regional edge (https://api.dublin.ie1.twilio.com) or a test server."
        ),
        MetadataField(
            SMSKey.caCert,
            description:
                "CA certificate(s) to trust instead of the system store, PEM text or a file path (bindery extension, for a test server)."
        ),
    ]
}
