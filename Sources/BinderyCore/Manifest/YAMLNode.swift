/// One node of a YAML document: a scalar that remembers how it was written, a sequence, or a
/// mapping with its keys in order. Every node knows its 1-based line and column.
package struct YAMLNode: Sendable, Equatable {
    /// How a scalar was written; only plain scalars are typed (`true`, `5`, `null`...).
    package enum Style: Sendable, Equatable { case plain, singleQuoted, doubleQuoted, literal, folded }

    package struct Pair: Sendable, Equatable {
        package var key: YAMLNode
        package var value: YAMLNode
    }

    package enum Content: Sendable, Equatable {
        case scalar(String, Style)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    package var content: Content
    package var line: Int
    package var column: Int

    package static func scalar(_ text: String, _ style: Style = .plain, line: Int = 0, column: Int = 0) -> YAMLNode {
        YAMLNode(content: .scalar(text, style), line: line, column: column)
    }

    /// The text of a scalar; nil for collections.
    package var text: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    package var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    package var pairs: [Pair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// What a reader would call this node in a message: "a mapping", "a sequence", "a string"...
    var kindName: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .scalar: return YAMLScalar(self).kindName
        }
    }

    /// The value of `key` in a mapping, matched case-insensitively as Go's encoding/json does
    /// (the last match wins, as it does there). Nil when absent or when this is not a mapping.
    package func field(_ key: String) -> YAMLNode? {
        guard let pairs else { return nil }
        let wanted = key.lowercased()
        return pairs.last { $0.key.text?.lowercased() == wanted }?.value
    }
}
