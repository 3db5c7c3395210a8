import CLibpq

/// A connection string in either of the forms Dapr accepts, read into ordered key/value pairs.
///
/// The key/value form follows libpq's grammar (`key = value`, single quotes, `\'` and `\\`),
/// which is also pgx's: Dapr's own builder splits on single spaces and so breaks quoted values
/// with spaces; this reading does not. The URL form (`postgres://` or `postgresql://`) is
/// parsed by libpq itself (`PQconninfoParse`: percent-decoding, several hosts, IPv6) once the
/// query parameters libpq does not know (pgx's `pool_max_conns`, runtime parameters) are taken
/// out of it, since libpq refuses those.
struct ConnectionString {
    /// Why a text is not a connection string; never quotes it (it may hold a password).
    struct Problem: Error, Equatable {
        var reason: String
    }

    var pairs: [(key: String, value: String)]

    /// True for the URL form, as Dapr decides it.
    static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    init(pairs: [(key: String, value: String)] = []) { self.pairs = pairs }

    init(parsing text: String) throws(Problem) {
        pairs = ConnectionString.isURL(text) ? try ConnectionString.url(text) : try ConnectionString.keyValues(text)
    }

    /// The value of the last pair named `key`.
    func value(_ key: String) -> String? { pairs.last { $0.key == key }?.value }

    /// Replaces every pair named `key` by one with `value`, where the first one was.
    mutating func set(_ key: String, _ value: String) {
        if let index = pairs.firstIndex(where: { $0.key == key }) {
            pairs[index].value = value
            pairs = pairs.enumerated().filter { $0.offset <= index || $0.element.key != key }.map(\.element)
        } else {
            pairs.append((key, value))
        }
    }

    /// Removes the pairs named `key` and returns the last value, if any.
    mutating func take(_ key: String) -> String? {
        let found = value(key)
        pairs.removeAll { $0.key == key }
        return found
    }

    // MARK: key/value form

    private static func keyValues(_ text: String) throws(Problem) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        var rest = Substring(text)
        func skipSpaces() { rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" } }
        skipSpaces()
        while !rest.isEmpty {
            let key = rest.prefix { $0 != "=" && $0 != " " && $0 != "\t" && $0 != "\n" }
            rest = rest.dropFirst(key.count)
            skipSpaces()
            guard rest.first == "=" else { throw Problem(reason: "missing \"=\" after \"\(key)\"") }
            rest = rest.dropFirst()
            skipSpaces()
            var value = ""
            if rest.first == "'" {
                rest = rest.dropFirst()
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\\", let next = rest.first {
                        value.append(next)
                        rest = rest.dropFirst()
                    } else if character == "'" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { throw Problem(reason: "unterminated quoted string in the value of \"\(key)\"") }
            } else {
                while let character = rest.first, character != " ", character != "\t", character != "\n" {
                    rest = rest.dropFirst()
                    if character == "\\", let next = rest.first {
                        value.append(next)
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
            }
            pairs.append((String(key), value))
            skipSpaces()
        }
        guard !pairs.isEmpty else { throw Problem(reason: "it is empty") }
        return pairs
    }

    // MARK: URL form

    private static func url(_ text: String) throws(Problem) -> [(key: String, value: String)] {
        var base = Substring(text)
        var query: [(key: String, value: String)] = []
        if let mark = text.firstIndex(of: "?") {
            base = text[..<mark]
            for item in text[text.index(after: mark)...].split(separator: "&") {
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let key = percentDecoded(parts[0]), let value = percentDecoded(parts[1]) else {
                    throw Problem(reason: "malformed URL query parameter \"\(item.prefix { $0 != "=" })\"")
                }
                query.append((key, value))
            }
        }
        var failure: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(String(base), &failure) else {
            defer { PQfreemem(failure) }
            let reason = failure.map { String(cString: $0) } ?? "out of memory"
            // libpq quotes the URL in some messages; it may hold a password.
            throw Problem(
                reason: trimmed(reason).replacing(": \"\(base)\"", with: "").replacing(String(base), with: "…"))
        }
        defer { PQconninfoFree(options) }
        var pairs: [(key: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { pairs.append((String(cString: keyword), String(cString: value))) }
            option += 1
        }
        return pairs + query
    }

    /// `%XX` sequences decoded (and `+` kept, as libpq does); nil for a broken sequence.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// libpq's message without its trailing newline.
    static func trimmed(_ message: String) -> String {
        var text = Substring(message)
        while text.last == "\n" || text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
