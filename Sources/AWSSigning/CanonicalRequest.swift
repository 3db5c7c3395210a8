/// SigV4's canonical request (AWS's "Create a canonical request"): the text whose hash the
/// string to sign carries, so the server, rebuilding it from what it received, gets the same bytes.
public struct CanonicalRequest: Sendable, Equatable {
    /// The whole canonical request, lines joined with `\n`.
    public let text: String
    /// The signed header names, lowercase, sorted, joined with `;`.
    public let signedHeaders: String

    public init(_ request: SigningRequest, path pathStyle: CanonicalPath) {
        let headers = Self.canonicalHeaders(request.headers)
        signedHeaders = headers.map(\.name).joined(separator: ";")
        text = [
            request.method,
            pathStyle.canonicalURI(request.path),
            Self.canonicalQuery(request.query),
            headers.map { "\($0.name):\($0.value)\n" }.joined(),
            signedHeaders,
            request.payloadHash,
        ].joined(separator: "\n")
    }

    /// Lowercase hex SHA-256 of `text`, the string to sign's last line.
    public var hash: String { SigningRequest.hash(Array(text.utf8)) }

    /// Parameters encoded, sorted by encoded name then encoded value (byte order), a missing value as `name=`.
    static func canonicalQuery(_ items: [SigningRequest.QueryItem]) -> String {
        items.map { (URIEncoding.encode($0.name), URIEncoding.encode($0.value ?? "")) }
            .sorted {
                $0.0 == $1.0
                    ? Array($0.1.utf8).lexicographicallyPrecedes($1.1.utf8)
                    : Array($0.0.utf8).lexicographicallyPrecedes($1.0.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Names lowercased, values trimmed with inner runs of spaces collapsed to one, repeated
    /// names joined with `,` in the order sent, sorted by name.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for header in headers {
            merged[header.name.lowercased(), default: []].append(collapse(header.value))
        }
        return merged.map { (name: $0.key, value: $0.value.joined(separator: ",")) }
            .sorted { Array($0.name.utf8).lexicographicallyPrecedes($1.name.utf8) }
    }

    /// `value` without leading or trailing whitespace, each run of spaces and tabs inside it one space.
    static func collapse(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
