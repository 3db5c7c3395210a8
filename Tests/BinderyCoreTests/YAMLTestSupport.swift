import DriverTesting
import Testing

@testable import BinderyCore
@testable import BinderySystem

/// The single root of `text`, failing the test on errors.
func yamlRoot(_ text: String) throws -> YAMLNode {
    let roots = try YAMLReader.parse(text, file: "t.yaml")
    guard roots.count == 1 else { throw TestFailure("expected one document, got \(roots.count)") }
    return roots[0]
}

/// The error reading `text` produces, as `file:line:column: message`.
func yamlError(_ text: String) -> String? {
    do {
        _ = try YAMLReader.parse(text, file: "t.yaml")
        return nil
    } catch {
        return error.description
    }
}

/// A compact rendering of a node for equality checks: scalars as JSON-ish text with style,
/// sequences as [..], mappings as {k: v}.
func render(_ node: YAMLNode) -> String {
    switch node.content {
    case .scalar(let text, let style):
        let mark: String
        switch style {
        case .plain: mark = ""
        case .singleQuoted: mark = "'"
        case .doubleQuoted: mark = "\""
        case .literal: mark = "|"
        case .folded: mark = ">"
        }
        return mark + JSONText.quoted(text)
    case .sequence(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
    case .mapping(let pairs):
        return "{" + pairs.map { "\($0.key.text ?? "?"): \(render($0.value))" }.joined(separator: ", ") + "}"
    }
}

/// The scalar text at `path` (keys and indexes) below `node`.
func scalar(_ node: YAMLNode, _ path: Any...) -> String? {
    var current: YAMLNode? = node
    for step in path {
        if let key = step as? String { current = current?.field(key) }
        if let index = step as? Int, let items = current?.items, index < items.count { current = items[index] }
    }
    return current?.text
}
