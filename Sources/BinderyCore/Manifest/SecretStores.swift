import BinderySystem

/// The secret stores a resources folder defines, as far as bindery implements them:
/// `secretstores.local.env` (a secret's name is an environment variable's name) and
/// `secretstores.local.file` (a JSON file, nested objects flattened with `nestedSeparator`).
package struct SecretStores: Sendable {
    static let envType = "secretstores.local.env"
    static let fileType = "secretstores.local.file"

    private enum Store: Sendable {
        case env
        case file(Result<[String: String], ManifestError>)
        case unsupported(String)
    }

    private var stores: [String: Store] = [:]
    private let environment: [String: String]

    /// `stores` are resolved secret-store components; `readFile` reads a `secretsFile`.
    package init(
        _ components: [Component], environment: [String: String], readFile: (String) throws(ManifestError) -> [UInt8]
    ) {
        self.environment = environment
        for component in components {
            switch component.type.lowercased() {
            case Self.envType: stores[component.name] = .env
            case Self.fileType: stores[component.name] = .file(Self.loadFile(component, readFile: readFile))
            default: stores[component.name] = .unsupported(component.type)
            }
        }
    }

    /// Why a secret cannot be had: a phrase that completes "cannot be resolved: ".
    package struct Miss: Error {
        package let reason: String
    }

    /// The secret's value, or why it cannot be had.
    func secret(store: String, name: String, key: String) -> Result<String, Miss> {
        guard !store.isEmpty else { return .failure(Miss(reason: "the component sets no auth.secretStore")) }
        guard let found = stores[store] else {
            return .failure(
                Miss(reason: "secret store \(JSONText.quoted(store)) is not defined (or not loaded for this app)"))
        }
        // Both local stores answer a secret with one entry named like the secret (multiValued is
        // ignored), so the key must be the secret's name.
        guard key == name else {
            return .failure(
                Miss(
                    reason:
                        "secret store \(JSONText.quoted(store)) has no key \(JSONText.quoted(key)) in secret \(JSONText.quoted(name)) (its secrets have a single key, named like the secret)"
                ))
        }
        switch found {
        case .env:
            guard let value = environment[name] else {
                return .failure(
                    Miss(
                        reason:
                            "environment variable \(JSONText.quoted(name)) is not set (secret store \(JSONText.quoted(store)))"
                    ))
            }
            return .success(value)
        case .file(.failure(let error)):
            return .failure(Miss(reason: "secret store \(JSONText.quoted(store)) is unusable: \(error.description)"))
        case .file(.success(let secrets)):
            guard let value = secrets[name] else {
                return .failure(
                    Miss(reason: "secret store \(JSONText.quoted(store)) has no secret \(JSONText.quoted(name))"))
            }
            return .success(value)
        case .unsupported(let type):
            return .failure(
                Miss(
                    reason:
                        "secret store \(JSONText.quoted(store)) has type \(type); bindery supports \(Self.envType) and \(Self.fileType)"
                ))
        }
    }

    private static func loadFile(_ store: Component, readFile: (String) throws(ManifestError) -> [UInt8]) -> Result<
        [String: String], ManifestError
    > {
        guard let path = store.value(of: "secretsFile"), !path.isEmpty else {
            return .failure(
                ManifestError(
                    .secret, "metadata secretsFile is required", file: store.file, line: store.line, column: 1))
        }
        let separator = store.value(of: "nestedSeparator").flatMap { $0.isEmpty ? nil : $0 } ?? ":"
        do throws(ManifestError) {
            let bytes = try readFile(path)
            let documents = YAMLReader.documents(in: bytes, file: path)
            guard documents.count == 1, case .success(let root?) = documents[0].result else {
                if case .failure(let error)? = documents.first?.result { throw error }
                throw ManifestError(.secret, "secretsFile must hold one JSON object", file: path)
            }
            guard root.pairs != nil else {
                throw ManifestError(
                    .secret, "secretsFile must hold a JSON object, found \(root.kindName)", file: path, line: root.line,
                    column: root.column)
            }
            var secrets: [String: String] = [:]
            try flatten(root, prefix: nil, separator: separator, into: &secrets)
            return .success(secrets)
        } catch {
            return .failure(error)
        }
    }

    /// Dapr's local file store: objects join keys with the separator, arrays use indexes,
    /// scalars become text (numbers in Go's shortest fixed notation).
    private static func flatten(
        _ node: YAMLNode, prefix: String?, separator: String, into secrets: inout [String: String]
    ) throws(ManifestError) {
        let join: (String) -> String = { key in prefix.map { $0 + separator + key } ?? key }
        switch node.content {
        case .mapping(let pairs):
            for pair in pairs {
                try flatten(pair.value, prefix: join(pair.key.text ?? ""), separator: separator, into: &secrets)
            }
        case .sequence(let items):
            for (index, item) in items.enumerated() {
                try flatten(item, prefix: join(String(index)), separator: separator, into: &secrets)
            }
        case .scalar(let text, _):
            let value: String
            switch YAMLScalar(node) {
            case .null: value = ""
            case .bool(let flag): value = flag ? "true" : "false"
            case .int(let digits): value = digits
            case .float(let number): value = number.isFinite ? GoFloat.format(number, exponential: false) : text
            case .string(let string): value = string
            }
            secrets[prefix ?? ""] = value
        }
    }
}
