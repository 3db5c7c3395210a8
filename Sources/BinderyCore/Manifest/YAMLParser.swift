/// The block-structure half of the YAML reader: one document's scalars in, one node out.
///
/// Columns are 0-based inside the parser and 1-based in nodes and messages. An indentation of
/// -1 means "top level". Scalars and flow collections live in `YAMLParser+Scalars.swift` and
/// `YAMLParser+Flow.swift`.
package struct YAMLParser {
    package let s: [Unicode.Scalar]
    let firstLine: Int
    package let limits: YAMLReader.Limits
    package var i = 0
    var nodes = 0
    /// Index of the first scalar of each line, for positions.
    let lineStarts: [Int]

    package init(_ scalars: [Unicode.Scalar], firstLine: Int, limits: YAMLReader.Limits) {
        s = scalars
        self.firstLine = firstLine
        self.limits = limits
        var starts = [0]
        for (index, scalar) in scalars.enumerated() where scalar == "\n" { starts.append(index + 1) }
        lineStarts = starts
    }

    /// The document's root, or nil when it holds nothing but comments and blank lines.
    mutating func parseDocument() throws(ManifestError) -> YAMLNode? {
        try skipBlank()
        guard i < s.count else { return nil }
        let root = try parseBlockNode(parentIndent: -1, depth: 0)
        try skipBlank()
        guard i >= s.count else {
            throw fail(.syntax, "unexpected content after the document's top-level node (check the indentation)")
        }
        return root
    }

    // MARK: Block nodes

    /// A node starting at `i` (the first scalar of its token) inside a collection indented `parentIndent`.
    mutating func parseBlockNode(parentIndent: Int, depth: Int) throws(ManifestError) -> YAMLNode {
        guard depth < limits.maxDepth else { throw fail(.limit, "nesting is deeper than \(limits.maxDepth) levels") }
        try rejectUnsupportedStart()
        if isSequenceEntry(at: i) { return try parseBlockSequence(indent: column(i), depth: depth + 1) }
        if try isMappingKeyAhead() { return try parseBlockMapping(indent: column(i), depth: depth + 1) }
        return try parseInlineValue(parentIndent: parentIndent, depth: depth)
    }

    /// A value that starts on the current line and is not a block collection: a scalar, a block
    /// scalar or a flow collection, followed by nothing but a comment.
    mutating func parseInlineValue(parentIndent: Int, depth: Int) throws(ManifestError) -> YAMLNode {
        try rejectUnsupportedStart()
        let node: YAMLNode
        switch s[i] {
        case "|", ">": return try parseBlockScalar(parentIndent: parentIndent)
        case "[", "{": node = try parseFlowNode(depth: depth + 1)
        case "'", "\"": node = try parseQuoted(inFlow: false)
        default: node = try parsePlain(parentIndent: parentIndent, inFlow: false)
        }
        try expectLineEnd(after: node)
        return node
    }

    mutating func parseBlockSequence(indent: Int, depth: Int) throws(ManifestError) -> YAMLNode {
        guard depth < limits.maxDepth else { throw fail(.limit, "nesting is deeper than \(limits.maxDepth) levels") }
        let (line, col) = position(i)
        var items: [YAMLNode] = []
        while true {
            let dash = i
            i += 1
            skipInlineSpace()
            if atLineEnd() {
                try skipBlank()
                if i < s.count, column(i) > indent {
                    items.append(try parseBlockNode(parentIndent: indent, depth: depth))
                } else {
                    items.append(try emptyNode(at: dash))
                }
            } else {
                items.append(try parseBlockNode(parentIndent: indent, depth: depth))
            }
            try skipBlank()
            guard i < s.count else { break }
            let next = column(i)
            if next > indent {
                throw fail(.syntax, "unexpected indentation (this sequence's entries start at column \(indent + 1))")
            }
            guard next == indent, isSequenceEntry(at: i) else { break }
        }
        return try node(.sequence(items), line: line, column: col)
    }

    mutating func parseBlockMapping(indent: Int, depth: Int) throws(ManifestError) -> YAMLNode {
        guard depth < limits.maxDepth else { throw fail(.limit, "nesting is deeper than \(limits.maxDepth) levels") }
        let (line, col) = position(i)
        var pairs: [YAMLNode.Pair] = []
        var seen: [String: Int] = [:]
        while true {
            let key = try parseKey()
            if let first = seen[key.text ?? ""] {
                throw ManifestError(
                    .duplicateKey, "duplicate key \(quoted(key.text ?? "")) in this mapping (first at line \(first))",
                    line: key.line, column: key.column)
            }
            seen[key.text ?? ""] = key.line
            let value = try parseMappingValue(indent: indent, depth: depth)
            pairs.append(YAMLNode.Pair(key: key, value: value))
            try skipBlank()
            guard i < s.count else { break }
            let next = column(i)
            if next > indent {
                throw fail(.syntax, "unexpected indentation (this mapping's keys start at column \(indent + 1))")
            }
            if next < indent { break }
            if isSequenceEntry(at: i) {
                throw fail(.syntax, "expected a key (name: value) at this indentation, found a sequence entry")
            }
        }
        return try node(.mapping(pairs), line: line, column: col)
    }

    /// A key followed by `:`; `i` ends just after the colon.
    private mutating func parseKey() throws(ManifestError) -> YAMLNode {
        try rejectUnsupportedStart()
        guard try isMappingKeyAhead() else { throw fail(.syntax, "expected a key (name: value)") }
        let key: YAMLNode
        switch s[i] {
        case "'", "\"": key = try parseQuoted(inFlow: false)
        default: key = try parsePlain(parentIndent: Int.max, inFlow: false)
        }
        skipInlineSpace()
        i += 1  // the ':' that isMappingKeyAhead saw
        return key
    }

    /// The value after `key:`: on the same line, on the following more indented lines, or a
    /// sequence at the key's own indentation (as Kubernetes writes lists).
    private mutating func parseMappingValue(indent: Int, depth: Int) throws(ManifestError) -> YAMLNode {
        let colon = i - 1
        skipInlineSpace()
        if atLineEnd() {
            try skipBlank()
            guard i < s.count else { return try emptyNode(at: colon) }
            let next = column(i)
            if next > indent { return try parseBlockNode(parentIndent: indent, depth: depth) }
            if next == indent, isSequenceEntry(at: i) {
                return try parseBlockSequence(indent: indent, depth: depth + 1)
            }
            return try emptyNode(at: colon)
        }
        if isSequenceEntry(at: i) {
            throw fail(
                .syntax, "a block sequence cannot start on the same line as its key; put `- ` entries on the next lines"
            )
        }
        if s[i] != "[", s[i] != "{", try isMappingKeyAhead() {
            throw fail(
                .syntax, "a mapping cannot start on the same line as its key; put its keys on the next lines, indented")
        }
        return try parseInlineValue(parentIndent: indent, depth: depth)
    }

    /// Whether the current line, from `i`, reads `key:` followed by a space or the line's end.
    mutating func isMappingKeyAhead() throws(ManifestError) -> Bool {
        let saved = i, savedNodes = nodes
        defer {
            i = saved
            nodes = savedNodes
        }
        switch s[i] {
        case "'", "\"":
            let startLine = position(i).line
            try skipQuoted()
            skipInlineSpace()
            guard isColonIndicator() else { return false }
            if position(i).line != startLine {
                throw ManifestError(
                    .syntax, "a quoted key must fit on one line", line: startLine, column: position(saved).column)
            }
            return true
        case "[", "{", "|", ">", "#": return false
        default:
            i = plainLineEnd(from: i, inFlow: false)
        }
        skipInlineSpace()
        return isColonIndicator()
    }

    private func isColonIndicator() -> Bool {
        i < s.count && s[i] == ":" && isBlankOrEnd(i + 1)
    }

    func isSequenceEntry(at index: Int) -> Bool {
        index < s.count && s[index] == "-" && isBlankOrEnd(index + 1)
    }

    /// The null scalar of `key:` with nothing after it, placed where the colon or dash was.
    private mutating func emptyNode(at index: Int) throws(ManifestError) -> YAMLNode {
        let (line, col) = position(index)
        return try node(.scalar("", .plain), line: line, column: col)
    }

    mutating func node(_ content: YAMLNode.Content, line: Int, column: Int) throws(ManifestError) -> YAMLNode {
        nodes += 1
        guard nodes <= limits.maxNodes else {
            throw ManifestError(
                .limit, "more than \(limits.maxNodes) nodes in one document", line: line, column: column)
        }
        return YAMLNode(content: content, line: line, column: column)
    }

    // MARK: Indicators we refuse

    /// Anchors, aliases, tags, complex keys and reserved indicators at the start of a node.
    mutating func rejectUnsupportedStart() throws(ManifestError) {
        guard i < s.count else { return }
        switch s[i] {
        case "&": throw fail(.unsupported, "anchors (&) are not supported; write the value out")
        case "*": throw fail(.unsupported, "aliases (*) are not supported; write the value out")
        case "!": throw fail(.unsupported, "tags (!) are not supported; remove the tag")
        case "?" where isBlankOrEnd(i + 1): throw fail(.unsupported, "complex mapping keys (?) are not supported")
        case "%": throw fail(.unsupported, "a plain scalar cannot start with '%'; quote it")
        case "@", "`":
            throw fail(.syntax, "a plain scalar cannot start with the reserved character '\(s[i])'; quote it")
        case "]", "}", ",": throw fail(.syntax, "unexpected '\(s[i])'")
        case "\t": throw fail(.syntax, "tab character used for indentation (use spaces)")
        default: return
        }
    }
}
