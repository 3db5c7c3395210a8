import Testing

@testable import AWSSigning

/// What the suite's vectors leave out, held against botocore 1.43.11's signer (SigV4Auth and
/// S3SigV4QueryAuth, run once by hand; the values are its output): an already-encoded path
/// encoded again, a value-less parameter, a signed session token, and a presigned S3 URL with a
/// token and a key that needs encoding.
@Suite struct BotocoreCrossCheckTests {
    static let date = AmzDate("20261201T175150Z")!
    static let credentials = Credentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "session/token+=")

    @Test func sqsRequestWithTokenMatchesBotocore() {
        let (path, query) = SigningRequest.split(target: "/123456789012/my%20queue?Action=SendMessage&acl")
        let request = SigningRequest(
            method: "POST", path: path, query: query,
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Host", "sqs.us-east-1.amazonaws.com"),
            ],
            payload: Array("Body=1".utf8))
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "sqs")
        let canonical = CanonicalRequest(signer.prepare(request, at: Self.date), path: signer.path)
        #expect(canonical.text.hasPrefix("POST\n/123456789012/my%2520queue\nAction=SendMessage&acl=\n"))
        let added = signer.sign(request, at: Self.date)
        #expect(added.map(\.name) == ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(
            added.last?.value
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/sqs/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
                + "Signature=25fd4b5887f9f5ed6a0f57d1022303fc8b325cd1413d7e9374f1c0f2fd26fe65")
    }

    @Test func s3PresignedURLWithTokenMatchesBotocore() {
        let request = SigningRequest(
            method: "GET", path: "/photos/a%20b%2Bc.jpg", headers: [("Host", "examplebucket.s3.amazonaws.com")],
            payloadHash: SigningRequest.unsignedPayload)
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "s3")
        let url = signer.presignedURL(request, host: "examplebucket.s3.amazonaws.com", at: Self.date, expires: 3_600)
        #expect(
            url
                == "https://examplebucket.s3.amazonaws.com/photos/a%20b%2Bc.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIDEXAMPLE%2F20261201%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261201T175150Z"
                + "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=session%2Ftoken%2B%3D"
                + "&X-Amz-Signature=90faabe3ecb5e0786843b7b21785f20a8bc9d06afbd49fc08ad54c853b3d0ae6")
    }
}
