import Testing

@testable import AWSSigning

/// AWS's SigV4 test suite: each stage of the signer against the suite's expected files.
@Suite struct TestSuiteTests {
    /// The cases signed without a session token.
    static let names = [
        "get-vanilla", "get-vanilla-query-order-key-case", "get-vanilla-empty-query-key", "get-utf8",
        "get-vanilla-utf8-query", "get-vanilla-query-unreserved", "get-header-value-trim",
        "post-x-www-form-urlencoded", "post-vanilla-query", "post-vanilla-empty-query-value",
        // normalize-path/: what every service but S3 does to the path.
        "get-space", "get-slash", "get-slashes", "get-relative", "get-relative-relative", "get-slash-dot-slash",
        "get-slash-pointless-dot", "get-special-character",
    ]

    @Test(arguments: names)
    func canonicalRequestMatches(_ name: String) throws {
        let vector = try TestSuiteVector(name)
        let canonical = CanonicalRequest(vector.request, path: .normalizedEncodedTwice)
        #expect(canonical.text == vector.canonicalRequest)
    }

    @Test(arguments: names)
    func stringToSignMatches(_ name: String) throws {
        let vector = try TestSuiteVector(name)
        let signer = TestSuiteVector.signer()
        #expect(
            signer.stringToSign(CanonicalRequest(vector.request, path: signer.path), at: TestSuiteVector.date)
                == vector.stringToSign)
    }

    @Test(arguments: names)
    func authorizationMatches(_ name: String) throws {
        let vector = try TestSuiteVector(name)
        let added = TestSuiteVector.signer().sign(vector.request, at: TestSuiteVector.date)
        // The request already carries X-Amz-Date, so Authorization is all the signer adds.
        #expect(added.map(\.name) == ["Authorization"])
        #expect(added.last?.value == vector.authorization)
    }

    @Test func sessionTokenSignedBeforeIsAddedAndSigned() throws {
        let vector = try TestSuiteVector("post-sts-header-before")
        var request = vector.request
        request.headers.removeAll { $0.name == "X-Amz-Security-Token" }
        let signer = TestSuiteVector.signer(sessionToken: TestSuiteVector.sessionToken)
        let prepared = signer.prepare(request, at: TestSuiteVector.date)
        let canonical = CanonicalRequest(prepared, path: signer.path)
        #expect(canonical.text == vector.canonicalRequest)
        #expect(signer.stringToSign(canonical, at: TestSuiteVector.date) == vector.stringToSign)
        let added = signer.sign(request, at: TestSuiteVector.date)
        #expect(added.map(\.name) == ["X-Amz-Security-Token", "Authorization"])
        #expect(added.first?.value == TestSuiteVector.sessionToken)
        #expect(added.last?.value == vector.authorization)
    }

    @Test func sessionTokenAddedAfterIsLeftOutOfTheSignature() throws {
        let vector = try TestSuiteVector("post-sts-header-after")
        let signer = TestSuiteVector.signer(sessionToken: TestSuiteVector.sessionToken, signsSessionToken: false)
        let canonical = CanonicalRequest(signer.prepare(vector.request, at: TestSuiteVector.date), path: signer.path)
        #expect(canonical.text == vector.canonicalRequest)
        #expect(signer.stringToSign(canonical, at: TestSuiteVector.date) == vector.stringToSign)
        let added = signer.sign(vector.request, at: TestSuiteVector.date)
        #expect(added.map(\.name) == ["X-Amz-Security-Token", "Authorization"])
        #expect(added.first?.value == TestSuiteVector.sessionToken)
        #expect(added.last?.value == vector.authorization)
    }
}
