import DriverJSON

/// One column value, received in PostgreSQL's text format, written as Dapr's driver writes it:
/// pgx decodes the value into a Go value (`rows.Values()`), then `json.Marshal` encodes it.
///
/// The session runs with `DateStyle=ISO` and `IntervalStyle=postgres` (PostgreSQLSettings), so
/// the texts parsed here have one shape. Types pgx decodes into Go structs without a JSON form
/// of their own keep that struct's shape (`time`, `interval`); a `uuid` is a `[16]byte`, so an
/// array of 16 numbers; `bytea` is base64; timestamps are RFC 3339 (`infinity`: 1, `-infinity`: -1,
/// pgx's InfinityModifier). Types pgx leaves undecoded (enums, domains…) are their text.
enum ValueEncoder {
    /// The element type of the array types pgx registers.
    static let arrayElements: [UInt32: UInt32] = [
        1000: 16, 1005: 21, 1007: 23, 1016: 20, 1021: 700, 1022: 701, 1231: 1700, 1009: 25, 1015: 1043,
        1014: 1042, 1003: 19, 1001: 17, 199: 114, 3807: 3802, 2951: 2950, 1182: 1082, 1115: 1114, 1185: 1184,
        1183: 1083, 1187: 1186, 1041: 869, 651: 650, 1028: 26, 1011: 28, 1012: 29, 271: 5069, 1002: 18,
    ]

    struct Failure: Error {
        var message: String
    }

    static func write(_ text: String, oid: UInt32, to out: inout GoJSONWriter) throws(Failure) {
        do {
            switch oid {
            case 16: out.raw(text == "t" ? "true" : "false")
            case 20, 21, 23, 26, 28, 29, 5069: out.raw(text)
            case 700, 701:
                guard let value = Double(text) else { throw Failure(message: "cannot read float \(text)") }
                out.raw(try GoJSONWriter.float(value, bits: oid == 700 ? 32 : 64))
            case 1700:
                if text == "NaN" || text.hasSuffix("Infinity") { out.string(text) } else { out.raw(text) }
            case 17: out.string(base64(hexBytes(text)))
            case 114, 3802:
                do { try out.value(try JSONValue.parse(text)) } catch let error as JSONValue.SyntaxError {
                    throw Failure(message: error.message)
                }
            case 2950:
                out.raw("[" + hexBytes(text.filter { $0 != "-" }).map(String.init).joined(separator: ",") + "]")
            case 1082, 1114, 1184: try timestamp(text, oid: oid, to: &out)
            case 1083: out.raw("{\"Microseconds\":\(microseconds(ofClock: text)),\"Valid\":true}")
            case 1186:
                let (months, days, micros) = interval(text)
                out.raw("{\"Microseconds\":\(micros),\"Days\":\(days),\"Months\":\(months),\"Valid\":true}")
            case 869, 650: out.string(text.contains("/") ? text : text + (text.contains(":") ? "/128" : "/32"))
            case 18: out.raw(String(text.unicodeScalars.first?.value ?? 0))
            default:
                if let element = arrayElements[oid] {
                    try array(text, element: element, to: &out)
                } else {
                    out.string(text)
                }
            }
        } catch let error as GoJSONWriter.Unsupported {
            throw Failure(message: error.message)
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(message: "\(error)")
        }
    }

    // MARK: arrays

    /// pgx scans an array into `[]any`: every dimension flattened into one list; no
    /// dimensions (`{}`) is a nil slice, which Go encodes as null.
    private static func array(_ text: String, element: UInt32, to out: inout GoJSONWriter) throws(Failure) {
        var body = Substring(text)
        if body.first == "[", let equals = body.firstIndex(of: "=") { body = body[body.index(after: equals)...] }
        let items = arrayItems(body)
        guard !items.isEmpty else { return out.raw("null") }
        out.byte("[")
        for (position, item) in items.enumerated() {
            if position > 0 { out.byte(",") }
            if let item { try write(item, oid: element, to: &out) } else { out.raw("null") }
        }
        out.byte("]")
    }

    /// The elements of an array literal, in order, nested braces flattened; nil for NULL.
    static func arrayItems(_ text: Substring) -> [String?] {
        var items: [String?] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var escaped = false
        var hasItem = false
        func finish() {
            if hasItem { items.append(!wasQuoted && current == "NULL" ? nil : current) }
            current = ""
            wasQuoted = false
            hasItem = false
        }
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted {
                if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    quoted = false
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
                wasQuoted = true
                hasItem = true
            } else if character == "{" || character == "}" || character == "," {
                finish()
            } else if character == "\\" {
                escaped = true
                hasItem = true
            } else if character != " " || hasItem {
                current.append(character)
                hasItem = true
            }
        }
        return items
    }

    // MARK: scalars

    static func hexBytes(_ text: String) -> [UInt8] {
        var digits = Array(text.utf8)
        if digits.starts(with: Array("\\x".utf8)) { digits.removeFirst(2) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index + 1 < digits.count {
            bytes.append(nibble(digits[index]) << 4 | nibble(digits[index + 1]))
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: 0
        }
    }

    /// Standard base64 with padding, as Go encodes a `[]byte`.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                out.append(
                    position <= chunk.count ? alphabet[Int(value >> (18 - 6 * position) & 0x3f)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `HH:MM:SS[.ffffff]` as microseconds since midnight.
    static func microseconds(ofClock text: Substring) -> Int64 {
        let parts = text.split(separator: ":")
        guard parts.count >= 2 else { return 0 }
        let hours = Int64(parts[0]) ?? 0
        let minutes = Int64(parts[1]) ?? 0
        var micros: Int64 = 0
        if parts.count > 2 {
            let second = parts[2].split(separator: ".", omittingEmptySubsequences: false)
            micros = (Int64(second[0]) ?? 0) * 1_000_000
            if second.count > 1 {
                let fraction = String(second[1].prefix(6))
                micros += (Int64(fraction) ?? 0) * Int64(pow10(6 - fraction.count))
            }
        }
        return (hours * 3600 + minutes * 60) * 1_000_000 + micros
    }

    static func microseconds(ofClock text: String) -> Int64 { microseconds(ofClock: Substring(text)) }

    static func pow10(_ exponent: Int) -> Int {
        var value = 1
        for _ in 0..<max(0, exponent) { value *= 10 }
        return value
    }

    /// An interval in the `postgres` style (`1 year 2 mons -3 days +04:05:06.5`).
    static func interval(_ text: String) -> (months: Int64, days: Int64, micros: Int64) {
        var months: Int64 = 0
        var days: Int64 = 0
        var micros: Int64 = 0
        let words = text.split(separator: " ")
        var index = 0
        while index < words.count {
            let word = words[index]
            if word.contains(":") {
                let negative = word.hasPrefix("-")
                let clock = microseconds(ofClock: word.drop { $0 == "-" || $0 == "+" })
                micros += negative ? -clock : clock
                index += 1
            } else if let number = Int64(word), index + 1 < words.count {
                let unit = words[index + 1]
                if unit.hasPrefix("year") { months += number * 12 }
                if unit.hasPrefix("mon") { months += number }
                if unit.hasPrefix("day") { days += number }
                index += 2
            } else {
                index += 1
            }
        }
        return (months, days, micros)
    }
}
