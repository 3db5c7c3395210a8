import DriverJSON
import DriverKit

/// The v3 `mail/send` body Dapr's binding sends: sendgrid-go's `SGMailV3` marshalled by Go's
/// encoding/json (fields in struct order, empty ones left out, HTML characters escaped), with one
/// personalization and one `text/html` content.
struct MailRequest: Sendable, Equatable {
    var from: MailAddress
    var to: MailAddress
    var subject: String
    var cc: String?
    var bcc: String?
    var templateID: String?
    var templateData: JSONValue?
    var html: String

    /// `fields` checked for what SendGrid needs, in Dapr's order and words, and the body taken
    /// from `data` as Dapr takes it (`GoUnquote`).
    init(_ fields: MailFields, data: [UInt8]) throws(DriverError) {
        guard let from = fields.from else {
            throw DriverError(.invalidArgument, "error SendGrid from email not supplied")
        }
        guard let to = fields.to else { throw DriverError(.invalidArgument, "error SendGrid to email not supplied") }
        guard let subject = fields.subject else {
            throw DriverError(.invalidArgument, "error SendGrid subject not supplied")
        }
        self.from = from
        self.to = to
        self.subject = subject
        cc = fields.cc
        bcc = fields.bcc
        templateID = fields.templateID
        if let text = fields.requestTemplateData {
            templateData = try MailFields.templateData(text)
        } else {
            templateData = fields.templateData
        }
        let raw = String(decoding: data, as: UTF8.self)
        html = GoUnquote.unquote(raw) ?? raw
    }

    /// The JSON body.
    func body() throws(DriverError) -> [UInt8] {
        var writer = GoJSONWriter()
        writer.raw("{\"from\":")
        MailRequest.write(from, to: &writer)
        writer.raw(",\"personalizations\":[{\"to\":[")
        MailRequest.write(to, to: &writer)
        writer.raw("]")
        if let cc {
            writer.raw(",\"cc\":[")
            MailRequest.write(MailAddress(name: "", email: cc), to: &writer)
            writer.raw("]")
        }
        if let bcc {
            writer.raw(",\"bcc\":[")
            MailRequest.write(MailAddress(name: "", email: bcc), to: &writer)
            writer.raw("]")
        }
        writer.raw(",\"subject\":")
        writer.string(subject)
        // omitempty leaves an empty map out.
        if let templateData, case .object(let members) = templateData, !members.isEmpty {
            writer.raw(",\"dynamic_template_data\":")
            do {
                try writer.value(templateData)
            } catch {
                throw DriverError(.invalidArgument, "error from SendGrid binding: \(error.message)")
            }
        }
        writer.raw("}],\"content\":[{\"type\":\"text/html\"")
        if !html.isEmpty {
            writer.raw(",\"value\":")
            writer.string(html)
        }
        writer.raw("}]")
        if let templateID {
            writer.raw(",\"template_id\":")
            writer.string(templateID)
        }
        writer.raw("}")
        return writer.bytes
    }

    private static func write(_ address: MailAddress, to writer: inout GoJSONWriter) {
        writer.raw("{")
        if !address.name.isEmpty {
            writer.raw("\"name\":")
            writer.string(address.name)
            writer.raw(",")
        }
        writer.raw("\"email\":")
        writer.string(address.email)
        writer.raw("}")
    }
}
