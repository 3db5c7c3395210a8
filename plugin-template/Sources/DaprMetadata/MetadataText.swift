/// Dapr's readings of metadata text that are not durations or sizes: booleans and integers.
public enum MetadataText {
    /// Dapr's `IsTruthy` (components-contrib `metadata/utils.go`): `1`, `true`, `t`, `y`, `yes`,
    /// `on` in any case, surrounding spaces ignored. Anything else is false.
    public static func isTruthy(_ text: String) -> Bool {
        truthy.contains(trimmed(text).lowercased())
    }

    /// A boolean that is either truthy or one of the matching false words (`0`, `false`, `f`,
    /// `n`, `no`, `off`); nil for anything else, so a typo such as `ture` is caught.
    public static func boolean(_ text: String) -> Bool? {
        let word = trimmed(text).lowercased()
        if truthy.contains(word) { return true }
        if falsy.contains(word) { return false }
        return nil
    }

    /// A decimal integer with an optional sign, surrounding spaces ignored; nil otherwise.
    public static func integer(_ text: String) -> Int? {
        Int(trimmed(text))
    }

    /// `text` without leading and trailing ASCII spaces, tabs and line breaks.
    public static func trimmed<Text: StringProtocol>(_ text: Text) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let start = text.firstIndex(where: { !isSpace($0) }) else { return Substring() }
        let end = text.lastIndex(where: { !isSpace($0) }) ?? start
        return Substring(text[start...end])
    }

    private static let truthy: Set<String> = ["1", "true", "t", "y", "yes", "on"]
    private static let falsy: Set<String> = ["0", "false", "f", "n", "no", "off"]
}
