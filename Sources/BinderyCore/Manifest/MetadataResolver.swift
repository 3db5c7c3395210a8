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

    /// Replaces the template tags in Dapr's order (`{uuid}`, `{podName}`, `{namespace}`,
    /// `{appID}`); `{uuid}` gets a fresh UUID at each occurrence. Each tag is one pass over the
    /// value, so 100,000 templates cost 100,000 UUIDs and no more.
    func substitute(
        _ value: String, label: String, field: String, draft: ComponentDraft, item: ComponentDraft.Item
    ) throws(ManifestError) -> String {
        guard value.utf8.contains(UInt8(ascii: "{")) else { return value }
        var result = Self.replacing("{uuid}", in: value) { UUIDv4.append(to: &$0) }
        let pod = environment["POD_NAME"] ?? ""
        var refersToPod = false
        result = Self.replacing("{podName}", in: result) {
            refersToPod = true
            $0 += pod.utf8
        }
        if refersToPod, pod.isEmpty {
            throw draft.error(
                .template, "\(label): \(field) refers to {podName} but POD_NAME is not set", line: item.line,
                column: item.column)
        }
        let namespace = environment["NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        result = Self.replacing("{namespace}", in: result) { $0 += "\(namespace).\(appID)".utf8 }
        return Self.replacing("{appID}", in: result) { $0 += appID.utf8 }
    }

    /// `text` with each occurrence of `tag`, left to right, replaced by what `replacement` writes.
    static func replacing(_ tag: String, in text: String, with replacement: (inout [UInt8]) -> Void) -> String {
        let tag = Array(tag.utf8)
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var k = 0
        var copied = 0  // bytes[copied..<k] are still to be copied to `out`
        while k + tag.count <= bytes.count {
            var matched = 0
            while matched < tag.count, bytes[k + matched] == tag[matched] { matched += 1 }
            if matched == tag.count {
                out.append(contentsOf: bytes[copied..<k])
                replacement(&out)
                k += tag.count
                copied = k
            } else {
                k += 1
            }
        }
        guard copied > 0 else { return text }
        out.append(contentsOf: bytes[copied...])
        return String(decoding: out, as: UTF8.self)
    }
}

/// Random (version 4) UUIDs in lower-case text form.
package enum UUIDv4 {
    package static func make() -> String {
        var text: [UInt8] = []
        append(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Writes a fresh UUID's 36 characters to `out`: two calls to the system generator, no
    /// intermediate strings (100,000 `{uuid}` templates took 15 s with a String per byte).
    static func append(to out: inout [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        let high: UInt64 = generator.next()
        let low: UInt64 = generator.next()
        for index in 0..<16 {
            var byte = UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> (8 * (index % 8)))
            if index == 6 { byte = byte & 0x0F | 0x40 }  // version 4
            if index == 8 { byte = byte & 0x3F | 0x80 }  // RFC 4122 variant
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hexDigit(byte >> 4))
            out.append(hexDigit(byte & 0x0F))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
}
