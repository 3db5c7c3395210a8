/// How the canonical URI is derived from the request path: the one place S3 differs from the
/// other services (AWS's "Create a canonical request": S3 paths are encoded once and not
/// normalized; every other service's path is normalized and encoded twice).
public enum CanonicalPath: Sendable, Equatable {
    /// S3: the key as it is, URI-encoded once. The path is decoded first, so an already-encoded
    /// path and a raw one give the same result; `//` and `.` are kept (they are part of the key).
    case s3
    /// Every other service: `.` and `..` segments resolved, repeated `/` collapsed, then the path
    /// as sent (already percent-encoded) URI-encoded again, so `%20` on the wire signs as `%2520`.
    case normalizedEncodedTwice

    /// The default for `service`: `.s3` for "s3", the other case for everything else.
    public static func forService(_ service: String) -> Self { service == "s3" ? .s3 : .normalizedEncodedTwice }

    /// The canonical URI of `path`; an empty path is `/`.
    public func canonicalURI(_ path: String) -> String {
        switch self {
        case .s3:
            let uri = URIEncoding.encode(URIEncoding.decode(path), keepingSlash: true)
            return uri.isEmpty ? "/" : uri
        case .normalizedEncodedTwice:
            return URIEncoding.encode(Self.normalize(path), keepingSlash: true)
        }
    }

    /// `path` with empty and `.` segments dropped and `..` popping its parent (RFC 3986 5.2.4,
    /// plus the `//` collapsing AWS's normalize-path vectors expect); a trailing `/` is kept.
    static func normalize(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last
        let trailingSlash = path.hasSuffix("/") || last == "." || last == ".."
        let joined = "/" + segments.joined(separator: "/")
        return trailingSlash && !segments.isEmpty ? joined + "/" : joined
    }
}
