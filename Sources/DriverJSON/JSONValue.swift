/// A parsed JSON value (numbers keep their text, so no precision is lost on the way through):
/// postgresql's `params` and json columns, AWS's JSON protocols, request data drivers reshape.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in source order; as in a Go map, the last of a repeated key wins when encoded.
    case object([Member])

    public struct Member: Equatable, Sendable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Why a text is not JSON, worded as Go's encoding/json words it.
    public struct SyntaxError: Error, Equatable, Sendable {
        public var message: String
    }

    /// Go's name for the kind of value, as in `cannot unmarshal object into …`.
    public var goKind: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Parses one JSON value; anything but white space after it is an error, as in Go.
    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        try parse(bytes: Array(text.utf8))
    }

    /// Same as above, over UTF-8 bytes.
    public static func parse(bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if let byte = parser.peek {
            throw SyntaxError(message: "invalid character \(JSONParser.quoted(byte)) after top-level value")
        }
        return value
    }
}

/// A recursive-descent reader over UTF-8 bytes (RFC 8259), nesting bounded as Go bounds it.
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d { index += 1 }
    }

    static func quoted(_ byte: UInt8) -> String {
        byte == UInt8(ascii: "'")
            ? "'\\''"
            : byte < 0x20 || byte >= 0x7f ? "'\\x\(String(byte, radix: 16))'" : "'\(Character(UnicodeScalar(byte)))'"
    }

    private func unexpected(_ context: String) -> JSONValue.SyntaxError {
        guard let byte = peek else { return JSONValue.SyntaxError(message: "unexpected end of JSON input") }
        return JSONValue.SyntaxError(message: "invalid character \(JSONParser.quoted(byte)) \(context)")
    }

    mutating func value(depth: Int) throws(JSONValue.SyntaxError) -> JSONValue {
        guard depth < 10_000 else { throw JSONValue.SyntaxError(message: "exceeded max depth") }
        skipSpace()
        switch peek {
        case UInt8(ascii: "{"):
            index += 1
            var members: [JSONValue.Member] = []
            skipSpace()
            if peek == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\"") else { throw unexpected("looking for beginning of object key string") }
                let key = try string()
                skipSpace()
                guard peek == UInt8(ascii: ":") else { throw unexpected("after object key") }
                index += 1
                members.append(JSONValue.Member(key: key, value: try value(depth: depth + 1)))
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    index += 1
                } else if peek == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                } else {
                    throw unexpected("after object key:value pair")
                }
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if peek == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    index += 1
                } else if peek == UInt8(ascii: "]") {
                    index += 1
                    return .array(items)
                } else {
                    throw unexpected("after array element")
                }
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case let byte? where byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39): return try number()
        default: throw unexpected("looking for beginning of value")
        }
    }

    private mutating func literal(_ word: String, _ value: JSONValue) throws(JSONValue.SyntaxError) -> JSONValue {
        for expected in word.utf8 {
            guard peek == expected else { throw unexpected("in literal \(word) (expecting '\(word)')") }
            index += 1
        }
        return value
    }

    private mutating func number() throws(JSONValue.SyntaxError) -> JSONValue {
        let start = index
        func digits() -> Int {
            let first = index
            while let byte = peek, byte >= 0x30, byte <= 0x39 { index += 1 }
            return index - first
        }
        if peek == UInt8(ascii: "-") { index += 1 }
        if peek == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            throw unexpected("in numeric literal")
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw unexpected("after decimal point in numeric literal") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw unexpected("in exponent of numeric literal") }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func string() throws(JSONValue.SyntaxError) -> String {
        index += 1
        var out: [UInt8] = []
        while let byte = peek {
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = peek else { break }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xd800..<0xdc00).contains(scalar), peek == UInt8(ascii: "\\"),
                        index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                    {
                        let save = index
                        index += 2
                        let low = try hex4()
                        if (0xdc00..<0xe000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                        } else {
                            index = save
                        }
                    }
                    out += Array(String(UnicodeScalar(scalar).map(Character.init) ?? "\u{fffd}").utf8)
                default:
                    index -= 1
                    throw unexpected("in string escape code")
                }
            case 0x00..<0x20:
                index -= 1
                throw unexpected("in string literal")
            default: out.append(byte)
            }
        }
        throw JSONValue.SyntaxError(message: "unexpected end of JSON input")
    }

    private mutating func hex4() throws(JSONValue.SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek, let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else {
                throw unexpected("in \\u hexadecimal character escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
