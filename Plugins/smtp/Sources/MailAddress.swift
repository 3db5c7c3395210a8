import DaprMetadata

/// One address of emailFrom, emailTo, emailCC or emailBCC, read as gomail reads it (Go's
/// `net/mail.ParseAddress`): `user@example.com`, `<user@example.com>` or
/// `Display Name <user@example.com>` (the name may be a quoted string).
///
/// The envelope gets `address`; the header gets `header`: the text as written, as gomail
/// writes it, except that a display name with non-ASCII text is written as an encoded-word with
/// the address beside it (gomail's `FormatAddress`), where gomail would encode the whole text
/// and then fail to parse it back (see README).
struct MailAddress: Equatable, Sendable {
    var address: String
    var header: [UInt8]

    /// Go's net/mail `atext`: what a dot-atom may hold besides dots.
    private static let atext = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    /// Reads one address; throws a `MailAddress.Invalid` with net/mail's reason.
    init(parsing text: String) throws(Invalid) {
        let bytes = Array(text.utf8)
        let trimmed = MailAddress.trimmed(bytes[...])
        guard !trimmed.isEmpty else { throw Invalid(text: text, reason: "mail: no address") }
        if let open = trimmed.firstIndex(of: UInt8(ascii: "<")) {
            guard let close = trimmed.lastIndex(of: UInt8(ascii: ">")), close > open else {
                throw Invalid(text: text, reason: "mail: unclosed angle-addr")
            }
            let after = trimmed[(close + 1)...]
            guard after.isEmpty else {
                throw Invalid(
                    text: text,
                    reason: "mail: expected single address, got \(quoted(String(decoding: after, as: UTF8.self)))")
            }
            let spec = Array(trimmed[(open + 1)..<close])
            try MailAddress.checkSpec(spec, text: text)
            let name = try MailAddress.displayName(MailAddress.trimmed(trimmed[..<open]), text: text)
            address = String(decoding: spec, as: UTF8.self)
            header =
                EncodedWord.needsEncoding(bytes)
                ? MailAddress.formatted(address: spec, name: name) : bytes
        } else {
            let spec = Array(trimmed)
            guard spec.contains(UInt8(ascii: "@")) else {
                throw Invalid(text: text, reason: "mail: missing '@' or angle-addr")
            }
            try MailAddress.checkSpec(spec, text: text)
            address = String(decoding: spec, as: UTF8.self)
            header = bytes
        }
    }

    /// Why an address cannot be used: gomail's `gomail: invalid address "…": mail: …`.
    struct Invalid: Error, CustomStringConvertible {
        var text: String
        var reason: String
        var description: String { "gomail: invalid address \(quoted(text)): \(reason)" }
    }

    /// gomail's `FormatAddress(address, name)` for a name that needs encoding: the name as
    /// Q-encoded words, or B-encoded when it holds an RFC 5322 special, then ` <address>`.
    static func formatted(address: [UInt8], name: [UInt8]) -> [UInt8] {
        guard !name.isEmpty else { return address }
        let specials = Set("()<>[]:;@\\,.\"".utf8)
        let encoded = name.contains(where: specials.contains) ? EncodedWord.b(name) : EncodedWord.q(name)
        return encoded + Array(" <".utf8) + address + [UInt8(ascii: ">")]
    }

    /// `local@domain`: dot-atoms (or a quoted local part, or a `[literal]` domain), ASCII only.
    private static func checkSpec(_ spec: [UInt8], text: String) throws(Invalid) {
        guard let at = spec.lastIndex(of: UInt8(ascii: "@")) else {
            throw Invalid(text: text, reason: "mail: missing @ in addr-spec")
        }
        let local = spec[..<at]
        let domain = spec[(at + 1)...]
        guard !local.isEmpty, !domain.isEmpty else {
            throw Invalid(text: text, reason: "mail: invalid string")
        }
        guard
            spec.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
                || isQuoted(local) && domain.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else {
            throw Invalid(
                text: text, reason: "mail: an address must be printable ASCII without spaces (no SMTPUTF8 addresses)")
        }
        guard isQuoted(local) || isDotAtom(local) else {
            throw Invalid(text: text, reason: "mail: invalid string")
        }
        let isLiteral = domain.first == UInt8(ascii: "[") && domain.last == UInt8(ascii: "]")
        guard isLiteral || isDotAtom(domain) else {
            throw Invalid(text: text, reason: "mail: invalid domain")
        }
    }

    private static func isDotAtom(_ text: ArraySlice<UInt8>) -> Bool {
        guard text.first != UInt8(ascii: "."), text.last != UInt8(ascii: ".") else { return false }
        var previousDot = false
        for byte in text {
            let isDot = byte == UInt8(ascii: ".")
            if isDot && previousDot { return false }
            let isAlphanumeric =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            guard isDot || isAlphanumeric || atext.contains(byte) else { return false }
            previousDot = isDot
        }
        return true
    }

    private static func isQuoted(_ text: ArraySlice<UInt8>) -> Bool {
        text.count >= 2 && text.first == UInt8(ascii: "\"") && text.last == UInt8(ascii: "\"")
            && !text.contains { $0 < 0x20 || $0 == 0x7F }
    }

    /// The display name's text: a quoted string unquoted, or words as written; no control
    /// characters (they would end the header line).
    private static func displayName(_ name: ArraySlice<UInt8>, text: String) throws(Invalid) -> [UInt8] {
        guard !name.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
            throw Invalid(text: text, reason: "mail: invalid string")
        }
        guard name.count >= 2, name.first == UInt8(ascii: "\""), name.last == UInt8(ascii: "\"") else {
            // Unquoted, a name is words: an RFC 5322 special ends it, and Go then finds no `<`.
            guard !name.contains(where: Set("()<>[]:;@\\,\"".utf8).contains) else {
                throw Invalid(text: text, reason: "mail: missing '@' or angle-addr")
            }
            return Array(name)
        }
        var output: [UInt8] = []
        var escaping = false
        for byte in name.dropFirst().dropLast() {
            if !escaping, byte == UInt8(ascii: "\\") {
                escaping = true
                continue
            }
            output.append(byte)
            escaping = false
        }
        return output
    }

    private static func trimmed(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let start = text.firstIndex(where: { !isSpace($0) }) else { return [] }
        let end = text.lastIndex(where: { !isSpace($0) }) ?? start
        return text[start...end]
    }
}

/// `text` as Go's `%q` shows it.
func quoted(_ text: String) -> String { GoText.quoted(text) }
