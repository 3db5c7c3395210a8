import CurlTransport
import DriverJSON
import DriverKit

/// Twilio's answer to a message it did not create, as an error for the app.
///
/// Dapr's binding reports only the status (`error from Twilio (400): 400 Bad Request`); this
/// driver keeps that text and adds what Twilio's error body says, so the app learns why:
/// `… 400 Bad Request: Twilio error 21211: The 'To' number … is not a valid phone number. (more
/// info: https://www.twilio.com/docs/errors/21211)`, with the code also in the error's metadata
/// (`twilioErrorCode`).
enum TwilioFailure {
    static func error(_ response: CurlResponse) -> DriverError {
        var message = "error from Twilio (\(response.statusCode)): \(response.head.status)"
        var metadata: [String: String] = [:]
        if let body = try? JSONValue.parse(bytes: response.body) {
            let code = body["code"].flatMap(text)
            let detail = body["message"].flatMap(text)
            if let code {
                message += ": Twilio error \(code)"
                metadata["twilioErrorCode"] = code
            }
            if let detail { message += ": " + detail }
            if let extra = body["detail"].flatMap(text) { message += " (\(extra))" }
            if let link = body["more_info"].flatMap(text) { message += " (more info: \(link))" }
        } else if !response.body.isEmpty {
            message += ": " + String(decoding: response.body.prefix(512), as: UTF8.self)
        }
        let retryable = response.statusCode == 429 || response.statusCode >= 500
        return DriverError(
            response.statusCode == 404 ? .notFound : retryable ? .unavailable : .invalidArgument, message,
            retryable: retryable, metadata: metadata)
    }

    /// A string as it is, a number as written; nil for anything else or an empty text.
    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text.isEmpty ? nil : text
        case .number(let literal): literal
        default: nil
        }
    }
}
