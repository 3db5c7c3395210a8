import AWSSigning

/// Where requests for the bucket's objects go, chosen as aws-sdk-go-v2's S3 endpoint rules choose:
/// virtual-hosted (`https://<bucket>.<endpoint host>/<key>`) unless `forcePathStyle` is set, the
/// endpoint's host is an IP address, or the bucket name cannot be a DNS label (dots, upper case,
/// underscores); then path style (`https://<endpoint host>/<bucket>/<key>`).
struct S3Addressing: Sendable, Equatable {
    let bucket: String
    /// The base URL of every request: the endpoint, or the endpoint with the bucket in front of its host.
    let baseURL: String
    let isVirtualHosted: Bool

    init(bucket: String, endpoint: String, forcePathStyle: Bool) {
        self.bucket = bucket
        let parts = endpoint.split(separator: "://", maxSplits: 1)
        let scheme = parts.count == 2 ? String(parts[0]) : "https"
        let rest = String(parts.count == 2 ? parts[1] : Substring(endpoint))
        let authority = String(rest.prefix { $0 != "/" })
        isVirtualHosted =
            !forcePathStyle && Self.isDNSLabel(bucket) && !Self.isIPAddress(Self.host(of: authority))
        baseURL = isVirtualHosted ? "\(scheme)://\(bucket).\(rest)" : endpoint
    }

    /// The request path of `key`: URI-encoded once as the SDK's `EscapePath` does (`/` kept),
    /// after the bucket in path style.
    func path(_ key: String) -> String {
        let encoded = URIEncoding.encode(key, keepingSlash: true)
        return isVirtualHosted ? "/\(encoded)" : "/\(URIEncoding.encode(bucket))/\(encoded)"
    }

    /// The request path of the bucket itself (ListObjects, DeleteObjects).
    var bucketPath: String { isVirtualHosted ? "/" : "/\(URIEncoding.encode(bucket))" }

    /// The object's URL as create reports it: the PutObject request's URL without its query,
    /// which is what the transfer manager Dapr uses records as `Location`.
    func location(_ key: String) -> String { baseURL + path(key) }

    /// 3 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit.
    static func isDNSLabel(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        guard let first = bytes.first, let last = bytes.last, alphanumeric(first), alphanumeric(last) else {
            return false
        }
        return bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// The host of `host[:port]` or `[v6]:port`.
    static func host(of authority: String) -> String {
        if authority.hasPrefix("[") { return String(authority.prefix { $0 != "]" }.dropFirst()) }
        return String(authority.prefix { $0 != ":" })
    }

    /// True for dotted IPv4 or an IPv6 literal.
    static func isIPAddress(_ host: String) -> Bool {
        if host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in UInt8(part) != nil }
    }
}
