import BinderySystem

/// Gives each metadata entry its final value, in Dapr's order: `secretKeyRef` through the
/// component's secret store, else `envRef` when `value` is empty, then the templates
/// `{uuid}`, `{appID}`, `{namespace}` and `{podName}`.
package struct MetadataResolver {
    package let appID: String
    package let environment: [String: String]

    /// Environment variables an `envRef` may never read (Dapr's deny list).
    static func isDeniedEnvRef(_ name: String) -> Bool {
        name.isEmpty || name == "APP_API_TOKEN" || name.uppercased().hasPrefix("DAPR_") || name.contains(" ")
    }

    /// The component with resolved values; `warnings` collects what an operator should know.
    package func resolve(_ draft: ComponentDraft, secrets: SecretStores?, warnings: inout [ManifestProblem])
        throws(ManifestError) -> Component
    {
        var component = draft.component
        let label = "component \(JSONText.quoted(draft.name))"
        component.metadata = []
        for item in draft.items {
            let field = "metadata \(JSONText.quoted(item.name))"
            var value = item.value
            if let secret = item.secretName {
                guard let secrets else {
                    throw draft.error(
                        .secret,
                        "\(label): \(field) cannot use secretKeyRef: a secret store cannot read secrets from another store",
                        line: item.line, column: item.column)
                }
                switch secrets.secret(store: component.secretStore, name: secret, key: item.secretKey) {
                case .success(let found): value = found
                case .failure(let miss):
                    throw draft.error(
                        .secret,
                        "\(label): \(field): secret \(JSONText.quoted(secret)) key \(JSONText.quoted(item.secretKey)) cannot be resolved: \(miss.reason)",
                        line: item.line, column: item.column)
                }
            } else if value.isEmpty, !item.envRef.isEmpty {
                guard !Self.isDeniedEnvRef(item.envRef) else {
                    throw draft.error(
                        .environment,
                        "\(label): \(field): envRef \(JSONText.quoted(item.envRef)) is not allowed (APP_API_TOKEN, names starting with DAPR_ and names with spaces are refused)",
                        line: item.line, column: item.column)
                }
                if let found = environment[item.envRef] {
                    value = found
                } else {
                    warnings.append(
                        .warning(
                            draft.error(
                                .environment,
                                "\(label): \(field): environment variable \(JSONText.quoted(item.envRef)) named by envRef is not set; the value is empty",
                                line: item.line, column: item.column)))
                }
            }
            value = try substitute(value, label: label, field: field, draft: draft, item: item)
            component.metadata.append(
                Component.MetadataItem(
                    name: item.name, value: value, line: item.line, column: item.column,
                    fromSecretStore: item.secretName != nil))
        }
        return component
    }

    /// Replaces the template tags Dapr knows; `{uuid}` gets a fresh UUID at each occurrence.
    func substitute(
        _ value: String, label: String, field: String, draft: ComponentDraft, item: ComponentDraft.Item
    ) throws(ManifestError) -> String {
        guard value.contains("{") else { return value }
        var result = ""
        let pieces = value.split(separator: "{uuid}", omittingEmptySubsequences: false)
        for (index, piece) in pieces.enumerated() {
            if index > 0 { result += UUIDv4.make() }
            result += piece
        }
        result = result.replacing("{appID}", with: appID)
        let namespace = environment["NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        result = result.replacing("{namespace}", with: "\(namespace).\(appID)")
        if result.contains("{podName}") {
            guard let pod = environment["POD_NAME"], !pod.isEmpty else {
                throw draft.error(
                    .template, "\(label): \(field) refers to {podName} but POD_NAME is not set", line: item.line,
                    column: item.column)
            }
            result = result.replacing("{podName}", with: pod)
        }
        return result
    }
}

/// Random (version 4) UUIDs in lower-case text form.
package enum UUIDv4 {
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }
}
