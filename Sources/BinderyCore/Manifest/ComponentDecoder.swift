import BinderySystem
import DaprMetadata

/// Turns one YAML document into a `ComponentDraft`, with Dapr's rules: other kinds and API
/// versions are skipped, keys match case-insensitively (Go's encoding/json), unknown keys are
/// ignored, and a value of the wrong shape is an error that says where and what was expected.
package enum ComponentDecoder {
    static let apiVersion = "dapr.io/v1alpha1"
    package static let kind = "Component"

    /// The draft, or nil when the document is not a Dapr Component (silently skipped, as Dapr does).
    package static func decode(_ root: YAMLNode, file: String) throws(ManifestError) -> ComponentDraft? {
        let reader = FieldReader(file: file)
        guard root.pairs != nil else {
            throw reader.error(.schema, "a component document must be a mapping, found \(root.kindName)", at: root)
        }
        guard let api = root.field("apiVersion")?.text, api == apiVersion,
            let kind = root.field("kind")?.text, kind == Self.kind
        else { return nil }
        let meta = try reader.mapping(root.field("metadata"), "metadata")
        let spec = try reader.mapping(root.field("spec"), "spec")
        var component = Component(name: try reader.string(meta?.field("name"), "metadata.name"), type: "")
        component.file = file
        component.line = root.line
        guard !component.name.isEmpty else {
            throw reader.error(.schema, "metadata.name is required", at: meta ?? root)
        }
        try checkName(component.name, reader: reader, at: meta?.field("name") ?? root)
        component.namespace = try reader.string(meta?.field("namespace"), "metadata.namespace")
        component.type = try reader.string(spec?.field("type"), "spec.type")
        guard !component.type.isEmpty else { throw reader.error(.schema, "spec.type is required", at: spec ?? root) }
        component.version = try reader.string(spec?.field("version"), "spec.version")
        component.ignoreErrors = try reader.bool(spec?.field("ignoreErrors"), "spec.ignoreErrors")
        component.initTimeout = GoDuration.initTimeout(
            try reader.string(spec?.field("initTimeout"), "spec.initTimeout"))
        let auth = try reader.mapping(root.field("auth"), "auth")
        component.secretStore = try reader.string(auth?.field("secretStore"), "auth.secretStore")
        component.scopes = try reader.strings(root.field("scopes"), "scopes")
        let items = try metadataItems(spec?.field("metadata"), reader: reader)
        component.metadata = items.map {
            Component.MetadataItem(name: $0.name, value: $0.value, line: $0.line, column: $0.column)
        }
        return ComponentDraft(component: component, items: items)
    }

    /// Dapr uses the name as a URL path segment: not empty, not `.` or `..`, no `/` or `%`.
    private static func checkName(_ name: String, reader: FieldReader, at node: YAMLNode) throws(ManifestError) {
        guard name == "." || name == ".." || name.contains("/") || name.contains("%") else { return }
        throw reader.error(
            .invalidName,
            "metadata.name \(JSONText.quoted(name)) is not a valid component name (it is a URL path segment: no '/' or '%', not '.' or '..')",
            at: node)
    }

    private static func metadataItems(_ node: YAMLNode?, reader: FieldReader) throws(ManifestError) -> [ComponentDraft
        .Item]
    {
        guard let node, YAMLScalar(node) != .null else { return [] }
        guard let entries = node.items else {
            throw reader.error(
                .schema, "spec.metadata must be a sequence of {name, value} entries, found \(node.kindName)", at: node)
        }
        var items: [ComponentDraft.Item] = []
        for (index, entry) in entries.enumerated() {
            let path = "spec.metadata[\(index)]"
            guard entry.pairs != nil else {
                throw reader.error(
                    .schema, "\(path) must be a mapping with name and value, found \(entry.kindName)", at: entry)
            }
            let name = try reader.string(entry.field("name"), "\(path).name")
            guard !name.isEmpty else { throw reader.error(.schema, "\(path).name is required", at: entry) }
            var item = ComponentDraft.Item(name: name, value: "", line: entry.line, column: entry.column)
            if let value = entry.field("value") {
                do throws(ManifestError) {
                    item.value = try YAMLJSON.metadataString(value)
                } catch {
                    throw error.located(in: reader.file)
                }
            }
            if let ref = try reader.mapping(entry.field("secretKeyRef"), "\(path).secretKeyRef") {
                let secret = try reader.string(ref.field("name"), "\(path).secretKeyRef.name")
                let key = try reader.string(ref.field("key"), "\(path).secretKeyRef.key")
                if !secret.isEmpty {
                    item.secretName = secret
                    item.secretKey = key.isEmpty ? secret : key
                }
            }
            item.envRef = try reader.string(entry.field("envRef"), "\(path).envRef")
            items.append(item)
        }
        return items
    }
}

/// Reads typed fields the way Go's encoding/json fills a struct, with errors that say where.
package struct FieldReader {
    package let file: String

    package func error(_ code: ManifestError.Code, _ message: String, at node: YAMLNode) -> ManifestError {
        ManifestError(code, message, file: file, line: node.line, column: node.column)
    }

    /// A string field: any scalar gives its text, null or absence gives "".
    package func string(_ node: YAMLNode?, _ path: String) throws(ManifestError) -> String {
        guard let node else { return "" }
        guard let text = node.text else {
            throw error(.schema, "\(path) must be a string, found \(node.kindName)", at: node)
        }
        return YAMLScalar(node) == .null ? "" : text
    }

    func bool(_ node: YAMLNode?, _ path: String) throws(ManifestError) -> Bool {
        guard let node else { return false }
        switch YAMLScalar(node) {
        case .null: return false
        case .bool(let value): return value
        default:
            throw error(
                .schema,
                "\(path) must be true or false, found \(node.kindName)\(node.text.map { " " + JSONText.quoted($0) } ?? "")",
                at: node)
        }
    }

    /// A mapping field; nil when absent or null.
    func mapping(_ node: YAMLNode?, _ path: String) throws(ManifestError) -> YAMLNode? {
        guard let node, YAMLScalar(node) != .null || node.text == nil else { return nil }
        guard node.pairs != nil else {
            throw error(.schema, "\(path) must be a mapping, found \(node.kindName)", at: node)
        }
        return node
    }

    package func strings(_ node: YAMLNode?, _ path: String) throws(ManifestError) -> [String] {
        guard let node, YAMLScalar(node) != .null || node.text == nil else { return [] }
        guard let items = node.items else {
            throw error(.schema, "\(path) must be a sequence of strings, found \(node.kindName)", at: node)
        }
        var result: [String] = []
        for (index, item) in items.enumerated() { result.append(try string(item, "\(path)[\(index)]")) }
        return result
    }
}
