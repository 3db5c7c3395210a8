/// Flow collections: `[a, b]` and `{a: 1, b: 2}`, which may span lines.
extension YAMLParser {
    mutating func parseFlowNode(depth: Int) throws(ManifestError) -> YAMLNode {
        guard depth < limits.maxDepth else { throw fail(.limit, "nesting is deeper than \(limits.maxDepth) levels") }
        try skipFlowBlank()
        guard i < s.count else { throw fail(.syntax, "unexpected end of the document inside a flow collection") }
        try rejectUnsupportedStart()
        switch s[i] {
        case "[": return try parseFlowSequence(depth: depth)
        case "{": return try parseFlowMapping(depth: depth)
        case "'", "\"": return try parseQuoted(inFlow: true)
        case "|", ">": throw fail(.syntax, "block scalars (| and >) are not allowed inside flow collections")
        default: return try parsePlain(parentIndent: -1, inFlow: true)
        }
    }

    private mutating func parseFlowSequence(depth: Int) throws(ManifestError) -> YAMLNode {
        let open = i
        let (line, col) = position(i)
        i += 1
        var items: [YAMLNode] = []
        while true {
            try skipFlowBlank()
            guard i < s.count else { throw fail(.syntax, "unterminated flow sequence (no closing ']')", at: open) }
            if s[i] == "]" {
                i += 1
                break
            }
            items.append(try parseFlowNode(depth: depth + 1))
            try skipFlowBlank()
            guard i < s.count else { throw fail(.syntax, "unterminated flow sequence (no closing ']')", at: open) }
            if s[i] == ":" {
                throw fail(
                    .unsupported, "single-pair mappings inside flow sequences are not supported; write [{key: value}]")
            }
            if s[i] == "," {
                i += 1
            } else if s[i] == "]" {
                i += 1
                break
            } else {
                throw fail(.syntax, "expected ',' or ']' in a flow sequence")
            }
        }
        return try node(.sequence(items), line: line, column: col)
    }

    private mutating func parseFlowMapping(depth: Int) throws(ManifestError) -> YAMLNode {
        let open = i
        let (line, col) = position(i)
        i += 1
        var pairs: [YAMLNode.Pair] = []
        var seen: [String: Int] = [:]
        while true {
            try skipFlowBlank()
            guard i < s.count else { throw fail(.syntax, "unterminated flow mapping (no closing '}')", at: open) }
            if s[i] == "}" {
                i += 1
                break
            }
            let key = try parseFlowNode(depth: depth + 1)
            guard case .scalar(let keyText, let style) = key.content else {
                throw ManifestError(
                    .unsupported, "a mapping key must be a scalar, not a flow collection", line: key.line,
                    column: key.column)
            }
            if let first = seen[keyText] {
                throw ManifestError(
                    .duplicateKey, "duplicate key \(quoted(keyText)) in this mapping (first at line \(first))",
                    line: key.line, column: key.column)
            }
            seen[keyText] = key.line
            try skipFlowBlank()
            var value = YAMLNode.scalar("", line: key.line, column: key.column)
            if i < s.count, s[i] == ":", style != .plain || isBlankOrEnd(i + 1) || isFlowIndicator(s[i + 1]) {
                let colon = position(i)
                i += 1
                try skipFlowBlank()
                if i < s.count, s[i] == "," || s[i] == "}" {
                    value = YAMLNode.scalar("", line: colon.line, column: colon.column)
                } else {
                    value = try parseFlowNode(depth: depth + 1)
                }
            }
            pairs.append(YAMLNode.Pair(key: key, value: value))
            try skipFlowBlank()
            guard i < s.count else { throw fail(.syntax, "unterminated flow mapping (no closing '}')", at: open) }
            if s[i] == "," {
                i += 1
            } else if s[i] == "}" {
                i += 1
                break
            } else {
                throw fail(.syntax, "expected ',' or '}' in a flow mapping")
            }
        }
        return try node(.mapping(pairs), line: line, column: col)
    }

    /// Blanks, line breaks and comments between flow tokens.
    private mutating func skipFlowBlank() throws(ManifestError) {
        while i < s.count {
            let c = s[i]
            if isBlank(c) || c == "\n" {
                i += 1
            } else if c == "#", i > 0, isBlank(s[i - 1]) || s[i - 1] == "\n" {
                while i < s.count, s[i] != "\n" { i += 1 }
            } else {
                return
            }
        }
    }
}
