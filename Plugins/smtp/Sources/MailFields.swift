import DaprMetadata
import DriverKit

/// What one message is made of: the component's values with a request's overrides applied.
struct MailFields: Sendable, Equatable {
    var from: String?
    var to: String?
    var cc: String?
    var bcc: String?
    var subject: String?
    var priority: Int

    /// Dapr's range: 1 (highest) to 5 (lowest); 3 when neither the component nor the request says.
    static let priorities = 1...5
    static let defaultPriority = 3
    /// Dapr splits each address list at semicolons.
    static let separator: Character = ";"

    /// These fields with the non-empty request metadata of the same names put over them.
    ///
    /// Only for this request: Dapr's binding writes the overrides into the component's own
    /// metadata (its merge copies a pointer), so they leak into every later request; see README.
    func overridden(by metadata: [String: String]) throws(DriverError) -> MailFields {
        var merged = self
        func value(_ key: SMTPKey) -> String? { metadata[key.rawValue].flatMap { $0.isEmpty ? nil : $0 } }
        merged.from = value(.emailFrom) ?? from
        merged.to = value(.emailTo) ?? to
        merged.cc = value(.emailCC) ?? cc
        merged.bcc = value(.emailBCC) ?? bcc
        merged.subject = value(.subject) ?? subject
        if let text = value(.priority) {
            guard let number = MetadataText.integer(text), MailFields.priorities.contains(number) else {
                throw DriverError(
                    .invalidArgument,
                    "smtp binding error:  priority value must be between 1 (highest) and 5 (lowest): request metadata \"priority\" is \(GoText.quoted(text))"
                )
            }
            merged.priority = number
        }
        return merged
    }

    /// `list` split as Dapr splits it (at every `;`, spaces kept, empty parts kept).
    static func split(_ list: String) -> [String] {
        list.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }
}
