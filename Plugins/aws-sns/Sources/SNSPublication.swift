import DriverJSON
import DriverKit

/// What one `create` publishes: the message and subject read from the request's data, shaped
/// as Dapr shapes it (`{"message": …, "subject": …}`, each printed with Go's `%v`, so a number
/// or an object is published as Dapr publishes it).
///
/// Two departures from Dapr, both where Dapr publishes junk: a data without `subject` (or with
/// `"subject": null`) publishes no Subject, where Dapr sends the literal text `<nil>`; and a
/// data without `message` is refused, where Dapr publishes `<nil>` as the message.
struct SNSPublication: Equatable {
    var message: String
    var subject: String?

    init(message: String, subject: String?) {
        self.message = message
        self.subject = subject
    }

    /// Reads `data`; an error names the component and says what was expected.
    init(data: [UInt8], component: String) throws(DriverError) {
        let text = String(decoding: data, as: UTF8.self)
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw SNSPublication.invalid(component, "data is not JSON (\(error.message))")
        }
        guard case .object(let members) = value else {
            // Go's words for unmarshalling a non-object into the payload struct.
            throw SNSPublication.invalid(
                component, "json: cannot unmarshal \(value.goKind) into Go value of type sns.dataPayload")
        }
        // encoding/json matches struct fields case-insensitively, and the last duplicate wins.
        func field(_ name: String) -> JSONValue? {
            members.last { $0.key.lowercased() == name }?.value
        }
        guard let message = field("message"), message != .null else {
            throw SNSPublication.invalid(component, "data has no \"message\"; send {\"message\": …, \"subject\": …}")
        }
        self.message = GoValueText.text(message)
        subject = field("subject").flatMap { $0 == .null ? nil : GoValueText.text($0) }
    }

    /// The Query parameters of Publish, without Action and Version.
    func parameters(topicArn: String) -> [(String, String)] {
        var parameters = [("TopicArn", topicArn), ("Message", message)]
        if let subject { parameters.append(("Subject", subject)) }
        return parameters
    }

    private static func invalid(_ component: String, _ problem: String) -> DriverError {
        DriverError(.invalidArgument, "\(component): cannot publish to SNS: \(problem)")
    }
}
