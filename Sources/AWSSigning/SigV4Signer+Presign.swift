extension SigV4Signer {
    /// The query parameters that make `request` a presigned URL valid for `expires` seconds (AWS's
    /// "Authenticating requests: using query parameters"): the request's own parameters followed by
    /// X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, -Security-Token and -Signature.
    /// The payload is normally `SigningRequest.unsignedPayload`: whoever fetches the URL sends the body.
    public func presignedQuery(_ request: SigningRequest, at date: AmzDate, expires: Int) -> [SigningRequest.QueryItem]
    {
        var signing = request
        let signedHeaders = CanonicalRequest.canonicalHeaders(request.headers).map(\.name).joined(separator: ";")
        signing.query += [
            .init("X-Amz-Algorithm", Self.algorithm),
            .init("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(date))"),
            .init("X-Amz-Date", date.timestamp),
            .init("X-Amz-Expires", String(expires)),
            .init("X-Amz-SignedHeaders", signedHeaders),
        ]
        if signsSessionToken, let token = credentials.sessionToken {
            signing.query.append(.init("X-Amz-Security-Token", token))
        }
        let canonical = CanonicalRequest(signing, path: path)
        var query = signing.query
        if !signsSessionToken, let token = credentials.sessionToken {
            query.append(.init("X-Amz-Security-Token", token))
        }
        query.append(.init("X-Amz-Signature", signature(stringToSign(canonical, at: date), at: date)))
        return query
    }

    /// A presigned URL: `scheme://host` and the request's path, with `presignedQuery`'s parameters
    /// URI-encoded. `request.headers` must hold the Host header (`host` is only what the URL shows).
    public func presignedURL(
        _ request: SigningRequest, scheme: String = "https", host: String, at date: AmzDate, expires: Int
    ) -> String {
        let query = presignedQuery(request, at: date, expires: expires)
            .map { "\(URIEncoding.encode($0.name))=\(URIEncoding.encode($0.value ?? ""))" }
            .joined(separator: "&")
        return "\(scheme)://\(host)\(request.path)?\(query)"
    }
}
