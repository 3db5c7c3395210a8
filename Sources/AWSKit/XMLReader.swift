/// A small reader for the XML AWS answers with: declarations, comments and processing
/// instructions are skipped, DTDs are refused, entities and CDATA are decoded.
struct XMLReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(XMLSyntaxError) -> XMLElement {
        try skipMisc()
        let root = try element(depth: 0)
        try skipMisc()
        guard index == bytes.count else { throw failure("content after the root element") }
        return root
    }

    private func failure(_ what: String) -> XMLSyntaxError {
        XMLSyntaxError(description: "malformed XML at byte \(index): \(what)")
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func starts(_ text: String) -> Bool {
        let pattern = Array(text.utf8)
        return index + pattern.count <= bytes.count && Array(bytes[index..<index + pattern.count]) == pattern
    }

    private mutating func skip(past text: String) throws(XMLSyntaxError) {
        while index < bytes.count, !starts(text) { index += 1 }
        guard index < bytes.count else { throw failure("unterminated \(text)") }
        index += text.utf8.count
    }

    private mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d { index += 1 }
    }

    /// White space, comments and processing instructions outside the root element.
    private mutating func skipMisc() throws(XMLSyntaxError) {
        while true {
            skipSpace()
            if starts("<?") {
                try skip(past: "?>")
            } else if starts("<!--") {
                try skip(past: "-->")
            } else if starts("<!") {
                throw failure("document type declarations are not accepted")
            } else {
                return
            }
        }
    }

    private mutating func name() throws(XMLSyntaxError) -> String {
        let start = index
        while let byte = peek, !(byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d),
            byte != UInt8(ascii: ">"), byte != UInt8(ascii: "/"), byte != UInt8(ascii: "=")
        {
            index += 1
        }
        guard index > start else { throw failure("expected a name") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func localName(_ name: String) -> String {
        name.lastIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
    }

    private mutating func element(depth: Int) throws(XMLSyntaxError) -> XMLElement {
        guard depth < 100 else { throw failure("nested too deeply") }
        guard peek == UInt8(ascii: "<") else { throw failure("expected an element") }
        index += 1
        let qualified = try name()
        var element = XMLElement(name: Self.localName(qualified))
        while true {
            skipSpace()
            if starts("/>") {
                index += 2
                return element
            }
            if peek == UInt8(ascii: ">") {
                index += 1
                break
            }
            let attribute = try name()
            skipSpace()
            guard peek == UInt8(ascii: "=") else { throw failure("expected = after attribute \(attribute)") }
            index += 1
            skipSpace()
            guard let quote = peek, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw failure("expected a quoted attribute value")
            }
            index += 1
            let start = index
            while let byte = peek, byte != quote { index += 1 }
            guard index < bytes.count else { throw failure("unterminated attribute value") }
            element.attributes[attribute] = try Self.decodeEntities(Array(bytes[start..<index]))
            index += 1
        }
        var text: [UInt8] = []
        while true {
            guard index < bytes.count else { throw failure("unterminated element <\(qualified)>") }
            if starts("</") {
                index += 2
                let closing = try name()
                guard closing == qualified else { throw failure("</\(closing)> closes <\(qualified)>") }
                skipSpace()
                guard peek == UInt8(ascii: ">") else { throw failure("expected > after </\(closing)") }
                index += 1
                element.text = try Self.decodeEntities(text)
                return element
            } else if starts("<![CDATA[") {
                index += 9
                let start = index
                try skip(past: "]]>")
                text += Self.escaped(Array(bytes[start..<index - 3]))
            } else if starts("<!--") {
                try skip(past: "-->")
            } else if starts("<?") {
                try skip(past: "?>")
            } else if peek == UInt8(ascii: "<") {
                element.children.append(try self.element(depth: depth + 1))
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
    }

    /// CDATA text, escaped so that `decodeEntities` gives it back unchanged.
    private static func escaped(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for byte in raw {
            if byte == UInt8(ascii: "&") { out += Array("&amp;".utf8) } else { out.append(byte) }
        }
        return out
    }

    static func decodeEntities(_ raw: [UInt8]) throws(XMLSyntaxError) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        var position = 0
        while position < raw.count {
            guard raw[position] == UInt8(ascii: "&") else {
                out.append(raw[position])
                position += 1
                continue
            }
            guard let end = raw[position...].firstIndex(of: UInt8(ascii: ";")) else {
                throw XMLSyntaxError(description: "malformed XML: an & without ;")
            }
            let entity = String(decoding: raw[(position + 1)..<end], as: UTF8.self)
            switch entity {
            case "amp": out.append(UInt8(ascii: "&"))
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                let number: UInt32? =
                    entity.hasPrefix("#x") || entity.hasPrefix("#X")
                    ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                guard let number, let scalar = Unicode.Scalar(number) else {
                    throw XMLSyntaxError(description: "malformed XML: unknown entity &\(entity);")
                }
                out += Array(String(Character(scalar)).utf8)
            }
            position = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
