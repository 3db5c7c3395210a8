/// A reader for the small part of YAML that a driver folder's `example.yaml` and `metadata.yaml`
/// use, so DriverTesting needs no YAML library (bindery's own reader lives in the host):
///
/// - block mappings (`key: value`, `key:` followed by a more indented block or a `- ` list),
/// - block sequences (`- item`, `- key: value` starting a mapping),
/// - flow sequences of scalars (`[input, output]`),
/// - plain, "double-quoted" (with `\"`, `\\`, `\n`, `\t`) and 'single-quoted' scalars,
/// - full-line and ` #` trailing comments, one document (a leading `---` is skipped).
///
/// Anything else (block scalars `|` and `>`, flow mappings, anchors, tags, multi-line scalars,
/// several documents) is refused with the line number, never misread.
public enum YAMLSubset {
    /// A value: text, a list or a mapping (keys in file order).
    public indirect enum Node: Equatable, Sendable {
        case scalar(String)
        case list([Node])
        case map([(key: String, value: Node)])

        public static func == (a: Node, b: Node) -> Bool {
            switch (a, b) {
            case (.scalar(let x), .scalar(let y)): x == y
            case (.list(let x), .list(let y)): x == y
            case (.map(let x), .map(let y)): x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
            default: false
            }
        }

        /// The value of `key` in a mapping, nil for a missing key or a node that is not a mapping.
        public subscript(key: String) -> Node? {
            guard case .map(let entries) = self else { return nil }
            return entries.first { $0.key == key }?.value
        }

        public var text: String? { if case .scalar(let text) = self { text } else { nil } }
        public var items: [Node]? { if case .list(let items) = self { items } else { nil } }
    }

    private struct Line {
        var number: Int
        var indent: Int
        var text: String
    }

    /// Parses `source`; `file` names it in errors.
    public static func parse(_ source: String, file: String) throws -> Node {
        var lines: [Line] = []
        for (index, raw) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = stripComment(String(raw)).trimmingTrailingSpaces
            let content = text.drop { $0 == " " }
            if content.isEmpty || (index == 0 && content == "---") { continue }
            if content.hasPrefix("\t") {
                throw TestFailure("\(file):\(index + 1): tabs are not allowed for indentation")
            }
            lines.append(Line(number: index + 1, indent: text.count - content.count, text: String(content)))
        }
        var reader = Reader(lines: lines, file: file)
        guard let first = lines.first else { return .map([]) }
        let root = try reader.block(indent: first.indent)
        if reader.position < lines.count {
            throw reader.failure(
                lines[reader.position], "unexpected indentation (or a construct this reader does not support)")
        }
        return root
    }

    private struct Reader {
        let lines: [Line]
        let file: String
        var position = 0

        func failure(_ line: Line, _ message: String) -> TestFailure {
            TestFailure("\(file):\(line.number): \(message): \(line.text)")
        }

        mutating func block(indent: Int) throws -> Node {
            lines[position].text.isListItem ? try list(indent: indent) : try map(indent: indent)
        }

        mutating func map(indent: Int, first: Line? = nil) throws -> Node {
            var entries: [(key: String, value: Node)] = []
            var pending = first
            while let line = pending ?? (position < lines.count ? lines[position] : nil), line.indent == indent,
                !line.text.isListItem
            {
                if pending == nil { position += 1 }
                pending = nil
                guard let colon = line.text.keyColon else { throw failure(line, "expected `key: value`") }
                let key = try YAMLSubset.scalar(String(line.text[..<colon]), line: line, file: file)
                let rest = line.text[line.text.index(after: colon)...].drop { $0 == " " }
                if entries.contains(where: { $0.key == key }) { throw failure(line, "duplicate key \"\(key)\"") }
                if !rest.isEmpty {
                    entries.append((key, try YAMLSubset.value(String(rest), line: line, file: file)))
                } else if position < lines.count,
                    lines[position].indent > indent
                        || (lines[position].indent == indent && lines[position].text.isListItem)
                {
                    entries.append((key, try block(indent: lines[position].indent)))
                } else {
                    entries.append((key, .scalar("")))
                }
            }
            return .map(entries)
        }

        mutating func list(indent: Int) throws -> Node {
            var items: [Node] = []
            while position < lines.count, lines[position].indent == indent, lines[position].text.isListItem {
                let line = lines[position]
                position += 1
                let rest = line.text.dropFirst().drop { $0 == " " }
                if rest.isEmpty {
                    guard position < lines.count, lines[position].indent > indent else {
                        items.append(.scalar(""))
                        continue
                    }
                    items.append(try block(indent: lines[position].indent))
                } else if rest.keyColon != nil, !rest.hasPrefix("\""), !rest.hasPrefix("'"), !rest.hasPrefix("[") {
                    let inner = Line(
                        number: line.number, indent: line.indent + line.text.count - rest.count, text: String(rest))
                    items.append(try map(indent: inner.indent, first: inner))
                } else {
                    items.append(try YAMLSubset.value(String(rest), line: line, file: file))
                }
            }
            return .list(items)
        }
    }

    /// A value written after `key:` or `- `: a flow sequence or a scalar.
    private static func value(_ text: String, line: Line, file: String) throws -> Node {
        guard text.hasPrefix("[") else { return .scalar(try scalar(text, line: line, file: file)) }
        guard text.hasSuffix("]") else {
            throw TestFailure("\(file):\(line.number): a flow sequence must end on its line: \(line.text)")
        }
        let inside = text.dropFirst().dropLast().trimmingTrailingSpaces.drop { $0 == " " }
        if inside.isEmpty { return .list([]) }
        return .list(try splitFlow(String(inside)).map { .scalar(try scalar($0, line: line, file: file)) })
    }

    private static func scalar(_ raw: String, line: Line, file: String) throws -> String {
        let text = raw.trimmingTrailingSpaces
        func refuse(_ what: String) -> TestFailure {
            TestFailure("\(file):\(line.number): \(what) are not supported here: \(line.text)")
        }
        if let first = text.first, "|>&*!{%@`".contains(first) { throw refuse("`\(first)` constructs") }
        if text.hasPrefix("'") {
            guard text.count >= 2, text.hasSuffix("'") else { throw refuse("multi-line quoted scalars") }
            return String(text.dropFirst().dropLast()).replacingAll("''", with: "'")
        }
        guard text.hasPrefix("\"") else { return text }
        guard text.count >= 2, text.hasSuffix("\""), !text.hasSuffix("\\\"") || text.hasSuffix("\\\\\"") else {
            throw refuse("multi-line quoted scalars")
        }
        var result = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"", "\\", "/": result.append(character)
                default: throw refuse("escapes other than \\\" \\\\ \\n \\t")
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Splits `a, "b, c", d` at commas outside quotes.
    private static func splitFlow(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                current.append(character)
            } else if character == "\"" || character == "'" {
                quote = character
                current.append(character)
            } else if character == "," {
                parts.append(current.trimmingTrailingSpaces)
                current = ""
            } else if !(current.isEmpty && character == " ") {
                current.append(character)
            }
        }
        parts.append(current.trimmingTrailingSpaces)
        return parts
    }

    /// `text` without a comment: a `#` at the start or after a space, outside quotes.
    private static func stripComment(_ text: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#", previous == " " {
                return String(text[..<index])
            }
            previous = character
        }
        return text
    }
}

extension StringProtocol {
    fileprivate var trimmingTrailingSpaces: String {
        var text = String(self)
        while text.last == " " || text.last == "\r" { text.removeLast() }
        return text
    }

    fileprivate var isListItem: Bool { self == "-" || hasPrefix("- ") }

    /// The colon that ends a mapping key: the first `: ` or a final `:`, outside quotes.
    fileprivate var keyColon: Index? {
        var quote: Character?
        for index in indices {
            let character = self[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == ":" {
                let next = self.index(after: index)
                if next == endIndex || self[next] == " " { return index }
            }
        }
        return nil
    }

    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
