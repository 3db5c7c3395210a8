/// Text as Go's `%q` verb shows it (strconv.Quote), so that messages read like Dapr's and a
/// control character in a quoted value can neither end a log line nor hide in it.
public enum GoText {
    /// `text` in double quotes with `"` and `\` escaped and control characters spelled out.
    public static func quoted(_ text: String) -> String { "\"" + escaped(text, quote: true) + "\"" }

    /// `text` with control characters spelled out (`\r`, `\x00`, `\u0085`); `quote` also
    /// escapes `"` and `\`.
    public static func escaped(_ text: String, quote: Bool = false) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where quote: out += "\\\""
            case "\\" where quote: out += "\\\\"
            case "\u{7}": out += "\\a"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{B}": out += "\\v"
            case "\u{0}"..."\u{1F}", "\u{7F}": out += "\\x" + hex(scalar.value, digits: 2)
            case "\u{80}"..."\u{9F}": out += "\\u" + hex(scalar.value, digits: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
