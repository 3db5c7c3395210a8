import Testing

@testable import AWSSigning

/// The canonical forms where the test suite has no case: value-less parameters, S3's paths,
/// the double encoding of already-encoded paths, repeated headers, dates.
@Suite struct CanonicalFormTests {
    @Test func valuelessParameterIsWrittenWithEquals() {
        let (path, query) = SigningRequest.split(target: "/bucket?acl&prefix=a%20b&max-keys=2")
        #expect(path == "/bucket")
        #expect(query == [.init("acl", nil), .init("prefix", "a b"), .init("max-keys", "2")])
        #expect(CanonicalRequest.canonicalQuery(query) == "acl=&max-keys=2&prefix=a%20b")
    }

    @Test func parametersSortByNameThenValue() {
        let query: [SigningRequest.QueryItem] = [.init("b", "2"), .init("a", "z"), .init("a", "y"), .init("B", "1")]
        #expect(CanonicalRequest.canonicalQuery(query) == "B=1&a=y&a=z&b=2")
    }

    @Test func s3PathIsEncodedOnceAndNotNormalized() {
        #expect(CanonicalPath.s3.canonicalURI("/my-object//example//photo.user") == "/my-object//example//photo.user")
        #expect(CanonicalPath.s3.canonicalURI("/a b/./c") == "/a%20b/./c")
        #expect(CanonicalPath.s3.canonicalURI("/a%20b/%24c") == "/a%20b/%24c")
        #expect(CanonicalPath.s3.canonicalURI("") == "/")
    }

    @Test func otherServicesEncodeTheSentPathAgain() {
        #expect(CanonicalPath.normalizedEncodedTwice.canonicalURI("/example%20space/") == "/example%2520space/")
        #expect(CanonicalPath.normalizedEncodedTwice.canonicalURI("/a/b/../c/.") == "/a/c/")
        #expect(CanonicalPath.forService("s3") == .s3)
        #expect(CanonicalPath.forService("sqs") == .normalizedEncodedTwice)
    }

    @Test func repeatedHeadersJoinInOrderSent() {
        let headers = CanonicalRequest.canonicalHeaders([("X-B", " 2 "), ("Host", "h"), ("x-b", "1\t\t a")])
        #expect(headers.map(\.name) == ["host", "x-b"])
        #expect(headers.map(\.value) == ["h", "2,1 a"])
    }

    @Test func signerAddsDateAndTokenHeaders() {
        let signer = SigV4Signer(
            credentials: Credentials(accessKeyID: "AK", secretAccessKey: "SK", sessionToken: "T"), region: "eu-west-1",
            service: "sqs")
        let request = SigningRequest(method: "POST", path: "/", headers: [("Host", "localhost")], payload: [])
        let added = signer.sign(request, at: AmzDate("20240229T235959Z")!)
        #expect(added.map(\.name) == ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(added[0].value == "20240229T235959Z")
        #expect(
            added[2].value.contains(
                "Credential=AK/20240229/eu-west-1/sqs/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, "
            ))
    }

    @Test(arguments: ["19700101T000000Z", "20130524T000000Z", "20240229T235959Z", "21000301T120000Z"])
    func amzDateRoundTrips(_ text: String) throws {
        #expect(try #require(AmzDate(text)).timestamp == text)
    }

    @Test func amzDateCountsFromTheEpoch() {
        #expect(AmzDate(secondsSince1970: 1_440_938_160).timestamp == "20150830T123600Z")
        #expect(AmzDate("20150830T123600Z")?.date == "20150830")
        #expect(AmzDate("2015-08-30T12:36:00Z") == nil)
        #expect(AmzDate("20151330T123600Z") == nil)
    }
}
