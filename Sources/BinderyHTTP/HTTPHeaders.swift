/// Header fields in the order they arrived or were added; names compare case-insensitively.
package struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    package struct Field: Sendable, Equatable {
        package var name: String
        package var value: String
    }

    private(set) var fields: [Field] = []

    package init() {}

    package init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    package init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

    package var count: Int { fields.count }

    /// The first value of `name`, or nil.
    package subscript(name: String) -> String? {
        for field in fields where Self.same(field.name, name) { return field.value }
        return nil
    }

    /// Every value of `name`, in order.
    package func values(_ name: String) -> [String] {
        fields.compactMap { Self.same($0.name, name) ? $0.value : nil }
    }

    package func contains(_ name: String) -> Bool { self[name] != nil }

    package mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every value of `name` with one.
    package mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    package mutating func remove(_ name: String) {
        fields.removeAll { Self.same($0.name, name) }
    }

    /// True when a comma-separated header such as Connection lists `token` (case-insensitive).
    func hasToken(_ token: String, in name: String) -> Bool {
        for value in values(name) {
            for part in value.split(separator: ",") {
                if Self.same(part.trimmingASCIISpaces, token) { return true }
            }
        }
        return false
    }

    package func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// True for an RFC 9110 field name (5.1): a token, one or more of ALPHA, DIGIT and
    /// ``!#$%&'*+-.^_`|~``.
    package static func isValidName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && allBytes(of: name, satisfy: isTokenByte)
    }

    /// True for a field value that may be written as is (RFC 9110 5.5): no control character
    /// but HTAB, so no CR, LF, NUL or DEL; bytes from 0x80 (obs-text, UTF-8) pass.
    package static func isValidValue(_ value: some StringProtocol) -> Bool {
        allBytes(of: value) { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    /// Checked on every header of every response: over the contiguous UTF-8 of a native string
    /// (one pass over bytes), else through the UTF-8 view.
    @inline(__always)
    private static func allBytes(of text: some StringProtocol, satisfy test: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(test) } ?? text.utf8.allSatisfy(test)
    }

    /// Why `field` must not be written (a name that is not a token, a value with control
    /// characters), or nil when it may.
    package static func problem(with field: Field) -> String? {
        if !isValidName(field.name) { return "its name is not an HTTP token" }
        if !isValidValue(field.value) { return "its value holds control characters" }
        return nil
    }

    /// Token bytes as two bit sets (bytes 0–63 and 64–127), so a name costs a shift and a
    /// test per byte: ``!#$%&'*+-.`` and digits; letters and ``^_`|~``.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0..<64: (0x03FF_6CFA_0000_0000 as UInt64) >> byte & 1 == 1
        case 64..<128: (0x57FF_FFFF_C7FF_FFFE as UInt64) >> (byte - 64) & 1 == 1
        default: false
        }
    }

    /// ASCII case-insensitive equality; header names are ASCII tokens.
    package static func same<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where p != q {
            guard p | 0x20 == q | 0x20, (p | 0x20) >= 0x61, (p | 0x20) <= 0x7A else { return false }
        }
        return true
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingASCIISpaces: Substring {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }
}
