import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import GCPBucketDriver

/// `sign`: V4 signed URLs, checked by Python's `cryptography` against the public half of a key
/// pair made with openssl for the test (no emulator checks signed URLs).
@Suite struct SignTests {
    /// The component fields of `account`, with STORAGE_EMULATOR_HOST so no token is needed.
    private func signingDriver(
        _ account: TestServiceAccount, bucket: String = "signed-bucket", _ extra: [String: String] = [:]
    )
        throws -> BucketDriver
    {
        try makeDriver(
            [
                "bucket": bucket, "projectID": "p", "privateKeyID": account.privateKeyID,
                "privateKey": account.privateKeyPEM, "clientEmail": account.clientEmail,
            ].merging(extra) { $1 }, environment: ["STORAGE_EMULATOR_HOST": "https://storage.googleapis.com"])
    }

    @Test func theSignedURLVerifiesWithTheAccountsPublicKey() async throws {
        let directory = try temporaryDirectory("gcs-sign")
        let account = try TestServiceAccount(in: directory)
        let driver = try signingDriver(account, ["signTTL": "15m"])
        try await driver.start()
        defer { Task { await driver.stop() } }
        for key in ["report.csv", "dir/with space/é+x?y#z", "a//b/../c"] {
            let response = try #require(try await driver.call("sign", "", ["key": key]))
            let url = try #require((response.json as? [String: String])?["signURL"], "\(response.text)")
            #expect(url.hasPrefix("https://storage.googleapis.com/signed-bucket/"))
            let verdict = try verify(url, publicKey: account.publicKeyPEM, directory: directory)
            #expect(verdict == "ok 900 \(account.clientEmail)", "\(key): \(url)")
        }
        // The request's signTTL overrides the component's.
        let short = try #require(try await driver.call("sign", "", ["key": "k", "signTTL": "90s"]))
        let url = try #require((short.json as? [String: String])?["signURL"])
        #expect(
            try verify(url, publicKey: account.publicKeyPEM, directory: directory) == "ok 90 \(account.clientEmail)")
    }

    @Test func aURLSignedByAnotherKeyDoesNotVerify() async throws {
        let directory = try temporaryDirectory("gcs-sign-other")
        let account = try TestServiceAccount(in: directory, name: "signer")
        let other = try TestServiceAccount(in: directory, name: "other")
        let driver = try signingDriver(account, ["signTTL": "1h"])
        try await driver.start()
        defer { Task { await driver.stop() } }
        let response = try #require(try await driver.call("sign", "", ["key": "k"]))
        let url = try #require((response.json as? [String: String])?["signURL"])
        #expect(try verify(url, publicKey: other.publicKeyPEM, directory: directory) == "bad signature")
        // A tampered URL (a longer life) does not verify with the right key either.
        let tampered = url.replacingOccurrences(of: "X-Goog-Expires=3600", with: "X-Goog-Expires=7200")
        #expect(try verify(tampered, publicKey: account.publicKeyPEM, directory: directory) == "bad signature")
    }

    @Test func signNeedsATTLAndAKey() async throws {
        let directory = try temporaryDirectory("gcs-sign-missing")
        let account = try TestServiceAccount(in: directory)
        let driver = try signingDriver(account)
        try await driver.start()
        defer { Task { await driver.stop() } }
        #expect(
            await driver.failure("sign", "", ["key": "k"])
                == "gcp bucket binding error: required metadata 'signTTL' missing")
        #expect(
            await driver.failure("sign", "", ["key": "k", "signTTL": "forever"])
                == "gcp bucket binding error: gcp bucket binding error while parsing signTTL: time: invalid duration \"forever\""
        )
        // On an emulator without credentials there is nothing to sign with.
        let (server, bucket) = try await freshBucket("nosign")
        let unsigned = try await startedDriver(server, bucket: bucket, ["signTTL": "1m"])
        defer { Task { await unsigned.stop() } }
        let failure = try #require(await unsigned.failure("sign", "", ["key": "k"]))
        #expect(failure.hasPrefix("gcp bucket binding error: Bucket(\"\(bucket)\").SignedURL: "), "\(failure)")
        #expect(failure.contains("signing needs a service account key"), "\(failure)")
    }

    @Test func theStringToSignFollowsGooglesV4Rules() {
        let url = SignedURL(
            bucket: "b", object: "a b/c", clientEmail: "x@y.iam.gserviceaccount.com", seconds: 60, now: 1_796_160_495)
        let (query, text) = url.stringToSign()
        #expect(
            query
                == "X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=x%40y.iam.gserviceaccount.com%2F20261201%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20261201T212815Z&X-Goog-Expires=60&X-Goog-SignedHeaders=host"
        )
        #expect(text.hasPrefix("GOOG4-RSA-SHA256\n20261201T212815Z\n20261201/auto/storage/goog4_request\n"))
    }

    /// Rebuilds the canonical request from `url` as Google's V4 documentation defines it and
    /// checks the signature (RSASSA-PKCS1-v1_5, SHA-256) with `publicKey`; prints
    /// `ok <expires> <signer>`, or what is wrong.
    private func verify(_ url: String, publicKey: String, directory: String) throws -> String {
        let keyPath = "\(directory)/verify-\(UInt32.random(in: 0...UInt32.max)).pub"
        try publicKey.write(toFile: keyPath, atomically: true, encoding: .utf8)
        let result = try run("/usr/bin/env", ["python3", "-c", verifyScript, url, keyPath])
        guard result.status == 0 else { throw TestFailure("verify script failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

private let verifyScript = #"""
    import hashlib, sys, time
    from urllib.parse import urlsplit, parse_qsl, quote
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    url, key_path = sys.argv[1], sys.argv[2]
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    signature = dict(params).pop("X-Goog-Signature")
    signed = sorted((k, v) for k, v in params if k != "X-Goog-Signature")
    # Google: each name and value percent-encoded (RFC 3986 unreserved kept), sorted by name.
    canonical_query = "&".join(quote(k, safe="-_.~") + "=" + quote(v, safe="-_.~") for k, v in signed)
    # The path as the server sees it: decoded, then each segment re-encoded.
    from urllib.parse import unquote
    path = "/".join(quote(unquote(s), safe="-_.~") for s in parts.path.split("/"))
    q = dict(signed)
    assert q["X-Goog-Algorithm"] == "GOOG4-RSA-SHA256" and q["X-Goog-SignedHeaders"] == "host"
    email, date, region, service, kind = q["X-Goog-Credential"].split("/")
    assert (region, service, kind) == ("auto", "storage", "goog4_request") and q["X-Goog-Date"].startswith(date)
    age = time.time() - time.mktime(time.strptime(q["X-Goog-Date"], "%Y%m%dT%H%M%SZ")) + time.timezone
    assert abs(age) < 600, age
    request = "\n".join(["GET", path, canonical_query, "host:" + parts.hostname, "", "host", "UNSIGNED-PAYLOAD"])
    to_sign = "\n".join(["GOOG4-RSA-SHA256", q["X-Goog-Date"], "/".join([date, region, service, kind]),
                         hashlib.sha256(request.encode()).hexdigest()])
    key = serialization.load_pem_public_key(open(key_path, "rb").read())
    try:
        key.verify(bytes.fromhex(signature), to_sign.encode(), padding.PKCS1v15(), hashes.SHA256())
        print("ok", q["X-Goog-Expires"], email)
    except InvalidSignature:
        print("bad signature")
    """#
