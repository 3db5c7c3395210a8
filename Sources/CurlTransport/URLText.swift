import DaprMetadata

/// How bindery shows and checks a URL given as text, as Go's net/url and net/http do.
public enum URLText {
    /// `url` with the password of its userinfo shown as `***` (`http://user:***@host/`), as
    /// Go's client writes URLs into its errors (net/http `stripPassword`); URLs without a
    /// password are unchanged. Text without `scheme://` is read as starting with the authority,
    /// so that a password is hidden even in a URL too broken to parse.
    public static func redacted(_ url: String) -> String {
        let start = url.firstRange(of: "://")?.upperBound ?? url.startIndex
        let authority = url[start...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        // Go splits userinfo from host at the last "@" of the authority.
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return url
        }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    /// True when `text` holds a byte Go's URL parser refuses with "net/url: invalid control
    /// character in URL": one below 0x20, or 0x7F.
    public static func hasControlCharacter(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }

    /// Go's error for such a URL: `parse "<url>": net/url: invalid control character in URL`
    /// (the URL redacted, its control characters escaped).
    public static func controlCharacterError(_ url: String) -> String {
        "parse \(GoText.quoted(redacted(url))): net/url: invalid control character in URL"
    }
}
