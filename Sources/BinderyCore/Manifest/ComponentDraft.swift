/// A component document as read from YAML, before secrets, `envRef` and templates are resolved.
package struct ComponentDraft: Sendable, Equatable {
    /// One `spec.metadata` entry as written.
    package struct Item: Sendable, Equatable {
        package var name: String
        /// `value` as Dapr sees it: strings as written, other values as JSON text, null as "".
        package var value: String
        /// `secretKeyRef.name`, when the entry has one.
        var secretName: String?
        /// `secretKeyRef.key`, defaulting to the secret's name.
        var secretKey: String = ""
        var envRef: String = ""
        package var line: Int
        package var column: Int
    }

    /// Everything but the metadata values is final here.
    package var component: Component
    package var items: [Item]

    package var name: String { component.name }
    var isSecretStore: Bool { component.type.hasPrefix("secretstores.") }

    /// `file:line` of the document, for messages that point at another definition.
    var place: String { "\(component.file):\(component.line)" }

    package func error(_ code: ManifestError.Code, _ message: String, line: Int? = nil, column: Int? = nil)
        -> ManifestError
    {
        ManifestError(code, message, file: component.file, line: line ?? component.line, column: column ?? 1)
    }
}
