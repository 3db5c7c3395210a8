import Testing

@testable import AWSSigning

/// The worked examples in Amazon S3's API reference ("Signature Calculations for the Authorization
/// Header" and "Authenticating Requests: Using Query Parameters"), which sign with service "s3".
@Suite struct S3ExampleTests {
    static let date = AmzDate("20130524T000000Z")!
    static let signer = SigV4Signer(
        credentials: Credentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "s3")
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    @Test func getObjectHeaderSignatureMatches() {
        let request = SigningRequest(
            method: "GET", path: "/test.txt",
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", Self.emptyHash), ("x-amz-date", Self.date.timestamp),
            ],
            payload: [])
        let added = Self.signer.sign(request, at: Self.date)
        #expect(
            added.map(\.value) == [
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                    + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                    + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
            ])
    }

    @Test func presignedURLMatches() {
        let request = SigningRequest(
            method: "GET", path: "/test.txt", headers: [("Host", "examplebucket.s3.amazonaws.com")],
            payloadHash: SigningRequest.unsignedPayload)
        let url = Self.signer.presignedURL(
            request, host: "examplebucket.s3.amazonaws.com", at: Self.date, expires: 86_400)
        #expect(
            url == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test func presignedURLCarriesTheSessionTokenSigned() {
        var signer = Self.signer
        signer.credentials.sessionToken = "token/with+chars"
        let request = SigningRequest(
            method: "GET", path: "/test.txt", headers: [("Host", "examplebucket.s3.amazonaws.com")],
            payloadHash: SigningRequest.unsignedPayload)
        let query = signer.presignedQuery(request, at: Self.date, expires: 86_400)
        #expect(query.map(\.name).suffix(2) == ["X-Amz-Security-Token", "X-Amz-Signature"])
        #expect(query.first { $0.name == "X-Amz-Security-Token" }?.value == "token/with+chars")
        // Signed: a different token gives a different signature.
        signer.credentials.sessionToken = "other"
        #expect(signer.presignedQuery(request, at: Self.date, expires: 86_400).last != query.last)
    }
}
