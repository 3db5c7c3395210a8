import CDigest
import Glibc

/// A V4 signed URL (`GOOG4-RSA-SHA256`) for GET of one object, as Go's storage client builds it
/// (`signedURLV4`): path-style `https://HOST/BUCKET/OBJECT`, the `X-Goog-*` query parameters,
/// `host` the only signed header, an unsigned payload; the signature is RS256 of the string to
/// sign with the service account's key.
struct SignedURL {
    var scheme = "https"
    /// `storage.googleapis.com`, or the emulator's host and port.
    var host = "storage.googleapis.com"
    var bucket: String
    var object: String
    var clientEmail: String
    var seconds: Int
    /// Seconds since the epoch, UTC.
    var now: Int

    /// The canonical request and the string to sign (Google's V4 signing process).
    func stringToSign() -> (canonicalQuery: String, text: String) {
        let canonicalQuery = query(signature: nil).replacingPlus()
        let hostname = host.split(separator: ":", maxSplits: 1).first.map(String.init) ?? host
        let canonicalRequest = [
            "GET", "/" + canonicalPath(), canonicalQuery, "host:\(hostname)", "", "host", "UNSIGNED-PAYLOAD",
        ].joined(separator: "\n")
        let text = [
            "GOOG4-RSA-SHA256", timestamp, scope, hex(SignedURL.sha256(Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        return (canonicalQuery, text)
    }

    /// The URL, with `signature` (the RS256 of `stringToSign().text`) in hex.
    func url(signature: [UInt8]) -> String {
        "\(scheme)://\(host)/\(bucket)/\(URLEscaping.escape(object) { URLEscaping.isUnreserved($0) || "$&+,/:;=@".utf8.contains($0) })?\(query(signature: hex(signature)))"
    }

    /// The path as GCS canonicalises the request it receives: each segment of `/BUCKET/OBJECT`
    /// percent-encoded (unreserved characters kept). Go's client cleans the path first
    /// (`path.Join`), so its URLs for names with `//`, `.` or `..` segments or a trailing `/` do
    /// not verify; here they do.
    private func canonicalPath() -> String {
        "\(bucket)/\(object)".split(separator: "/", omittingEmptySubsequences: false).map {
            URLEscaping.query(String($0))
        }.joined(separator: "/")
    }

    /// Go's `url.Values.Encode()` of the X-Goog parameters: sorted, query-escaped (space `+`).
    private func query(signature: String?) -> String {
        var items = [
            ("X-Goog-Algorithm", "GOOG4-RSA-SHA256"), ("X-Goog-Credential", "\(clientEmail)/\(scope)"),
            ("X-Goog-Date", timestamp), ("X-Goog-Expires", String(seconds)), ("X-Goog-SignedHeaders", "host"),
        ]
        if let signature { items.append(("X-Goog-Signature", signature)) }
        return items.map { "\(formEscape($0.0))=\(formEscape($0.1))" }.joined(separator: "&")
    }

    private var scope: String { "\(String(timestamp.prefix(8)))/auto/storage/goog4_request" }

    /// `20261201T213015Z`.
    private var timestamp: String {
        var time = time_t(now)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    private func formEscape(_ text: String) -> String { URLEscaping.query(text).replacingSpaceEscapes() }

    private func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { cdigest_sha256(input.baseAddress, input.count, $0.baseAddress) }
        }
        return digest
    }
}

extension String {
    /// Go's QueryEscape writes a space as `+`; URLEscaping writes `%20`.
    fileprivate func replacingSpaceEscapes() -> String { replacing("%20", with: "+") }
    /// The canonical query wants `%20` where Go's encoding put `+`.
    fileprivate func replacingPlus() -> String { replacing("+", with: "%20") }
}
