/// Signs requests with AWS Signature Version 4 in the Authorization header; each stage (canonical
/// request, string to sign, signature) is public so that tests can hold it against AWS's vectors.
public struct SigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"

    public var credentials: Credentials
    public var region: String
    public var service: String
    public var path: CanonicalPath
    /// Whether X-Amz-Security-Token is part of what is signed. AWS's post-sts-token vectors show
    /// both: most services want it signed; a few want it added after signing.
    public var signsSessionToken: Bool

    public init(
        credentials: Credentials, region: String, service: String, path: CanonicalPath? = nil,
        signsSessionToken: Bool = true
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.path = path ?? .forService(service)
        self.signsSessionToken = signsSessionToken
    }

    /// The headers to add to `request` so that AWS accepts it: X-Amz-Date (unless the request has
    /// one), X-Amz-Security-Token (with a session token, unless present), and Authorization.
    public func sign(_ request: SigningRequest, at date: AmzDate) -> [(name: String, value: String)] {
        let prepared = prepare(request, at: date)
        let canonical = CanonicalRequest(prepared, path: path)
        var added = Array(prepared.headers.dropFirst(request.headers.count))
        if !signsSessionToken, let token = credentials.sessionToken, !Self.has("x-amz-security-token", in: added) {
            added.append((name: "X-Amz-Security-Token", value: token))
        }
        added.append((name: "Authorization", value: authorization(canonical, at: date)))
        return added
    }

    /// `request` with the headers that must be signed added: X-Amz-Date, and X-Amz-Security-Token
    /// when the token is signed.
    public func prepare(_ request: SigningRequest, at date: AmzDate) -> SigningRequest {
        var prepared = request
        if !Self.has("x-amz-date", in: request.headers) {
            prepared.headers.append((name: "X-Amz-Date", value: date.timestamp))
        }
        if signsSessionToken, let token = credentials.sessionToken,
            !Self.has("x-amz-security-token", in: request.headers)
        {
            prepared.headers.append((name: "X-Amz-Security-Token", value: token))
        }
        return prepared
    }

    /// The Authorization header's value for an already-built canonical request.
    public func authorization(_ canonical: CanonicalRequest, at date: AmzDate) -> String {
        "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope(date)), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature(stringToSign(canonical, at: date), at: date))"
    }

    /// `date/region/service/aws4_request`.
    public func scope(_ date: AmzDate) -> String { "\(date.date)/\(region)/\(service)/aws4_request" }

    /// The algorithm, the timestamp, the scope and the canonical request's hash, one a line.
    public func stringToSign(_ canonical: CanonicalRequest, at date: AmzDate) -> String {
        [Self.algorithm, date.timestamp, scope(date), canonical.hash].joined(separator: "\n")
    }

    /// Lowercase hex HMAC of `stringToSign` under the day's signing key.
    public func signature(_ stringToSign: String, at date: AmzDate) -> String {
        Hex.lowercase(HMAC.sha256(key: signingKey(date), message: Array(stringToSign.utf8)))
    }

    /// The key derived for this day, region and service: the secret never signs directly.
    public func signingKey(_ date: AmzDate) -> [UInt8] {
        var key = Array("AWS4\(credentials.secretAccessKey)".utf8)
        for part in [date.date, region, service, "aws4_request"] {
            key = HMAC.sha256(key: key, message: Array(part.utf8))
        }
        return key
    }

    static func has(_ lowercaseName: String, in headers: [(name: String, value: String)]) -> Bool {
        headers.contains { $0.name.lowercased() == lowercaseName }
    }
}
