import DaprMetadata
import DriverKit
import ServiceEndpoint

/// A twilio.sms component's metadata, checked: no I/O (the CA file is read in `start`).
struct SMSSettings: Sendable {
    var accountSid: String
    var authToken: String
    var fromNumber: String
    /// nil: each request names its recipient.
    var toNumber: String?
    var timeout: GoDuration
    /// The API's base URL without a trailing slash.
    var endpoint: String
    /// caCert as configured (PEM text or a path).
    var caCert: String?

    init(_ configuration: DriverConfiguration) throws(DriverError) {
        let metadata = ComponentMetadata(configuration, fields: TwilioSMSDriver.fields)
        accountSid = try metadata.required(SMSKey.accountSid)
        authToken = try metadata.required(SMSKey.authToken)
        fromNumber = try metadata.required(SMSKey.fromNumber)
        toNumber = metadata.string(SMSKey.toNumber)
        timeout =
            try metadata.duration(SMSKey.timeout, minimum: GoDuration(nanoseconds: 1_000_000))
            ?? GoDuration(nanoseconds: 300_000_000_000)
        endpoint = try ServiceEndpoint.baseURL(metadata, SMSKey.endpoint, default: TwilioSMSDriver.defaultEndpoint)
        caCert = metadata.string(SMSKey.caCert)
    }

    /// Where messages of this account are created.
    var messagesURL: String {
        endpoint + "/2010-04-01/Accounts/" + GoURLEscaping.pathSegment(accountSid) + "/Messages.json"
    }

    /// `Basic base64(accountSid:authToken)`, as Go's `SetBasicAuth`.
    var authorization: String { "Basic " + Base64.encodedString(Array("\(accountSid):\(authToken)".utf8)) }
}
