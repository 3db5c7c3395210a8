import DriverJSON
import DriverKit

/// One address of a message: SendGrid's `{"name": …, "email": …}` (name left out when empty).
struct MailAddress: Sendable, Equatable {
    var name: String
    var email: String
}

/// What one message is made of: the component's values with a request's overrides put over
/// them, field by field as Dapr's binding does.
struct MailFields: Sendable, Equatable {
    var from: MailAddress?
    var to: MailAddress?
    var subject: String?
    var cc: String?
    var bcc: String?
    var templateID: String?
    /// The dynamic template data object; nil when there is none (or JSON null).
    var templateData: JSONValue?
    /// A request's dynamicTemplateData, not yet parsed: as in Dapr, it is read (and refused
    /// when it is no JSON object) only after the sender, recipient and subject are checked,
    /// and it replaces the component's data whole (`null` leaves none).
    var requestTemplateData: String?

    /// These fields with the non-empty request metadata of the same names put over them.
    ///
    /// As Dapr: a request's emailFrom brings its own emailFromName (the component's name is not
    /// kept for another address), and likewise emailTo and emailToName; a request's
    /// dynamicTemplateData replaces the component's whole.
    func overridden(by metadata: [String: String]) -> MailFields {
        func value(_ key: SendGridKey) -> String? { metadata[key.rawValue].flatMap { $0.isEmpty ? nil : $0 } }
        var merged = self
        if let email = value(.emailFrom) { merged.from = MailAddress(name: value(.emailFromName) ?? "", email: email) }
        if let email = value(.emailTo) { merged.to = MailAddress(name: value(.emailToName) ?? "", email: email) }
        merged.subject = value(.subject) ?? subject
        merged.cc = value(.emailCc) ?? cc
        merged.bcc = value(.emailBcc) ?? bcc
        merged.templateID = value(.dynamicTemplateId) ?? templateID
        merged.requestTemplateData = value(.dynamicTemplateData)
        return merged
    }

    /// dynamicTemplateData parsed as Dapr parses it (into a Go map): an object, or null for none.
    static func templateData(_ text: String) throws(DriverError) -> JSONValue? {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw invalidTemplateData(error.message)
        }
        switch value {
        case .object: return value
        case .null: return nil
        default:
            throw invalidTemplateData(
                "json: cannot unmarshal \(value.goKind) into Go value of type map[string]interface {}")
        }
    }

    private static func invalidTemplateData(_ reason: String) -> DriverError {
        DriverError(
            .invalidArgument, "error from SendGrid binding, dynamic template data is not valid JSON: \(reason)")
    }
}
