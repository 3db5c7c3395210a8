import DriverTesting
import Foundation
import GoogleAuth
import Testing

/// The RSA key is OpenSSL's: what it reads, what it refuses, and that its signatures verify.
@Suite struct KeyTests {
    @Test func aSignatureVerifiesWithThePublicKey() throws {
        let key = try RSASigningKey(pem: TestAccounts.main.privateKeyPEM)
        let message = Array("the signed part".utf8)
        let signature = try key.sign(message)
        #expect(signature.count == 256, "RSA-2048 signatures are 256 bytes")
        let directory = try TemporaryDirectory("rs256")
        try Data(message).write(to: URL(fileURLWithPath: "\(directory.path)/message"))
        try Data(signature).write(to: URL(fileURLWithPath: "\(directory.path)/signature"))
        try TestAccounts.main.publicKeyPEM.write(toFile: "\(directory.path)/key.pub", atomically: true, encoding: .utf8)
        let verify = [
            "openssl", "dgst", "-sha256", "-verify", "\(directory.path)/key.pub", "-signature",
            "\(directory.path)/signature", "\(directory.path)/message",
        ]
        let good = try run("/usr/bin/env", verify)
        #expect(good.status == 0 && good.stdout.contains("Verified OK"), "\(good.stdout) \(good.stderr)")
        try Data("another message".utf8).write(to: URL(fileURLWithPath: "\(directory.path)/message"))
        #expect(try run("/usr/bin/env", verify).status != 0, "the signature covers the message")
    }

    @Test func aPKCS1KeyIsReadToo() throws {
        let directory = try TemporaryDirectory("pkcs1")
        let converted = try run(
            "/usr/bin/env",
            [
                "sh", "-c",
                "openssl pkey -traditional -out \(directory.path)/rsa.pem <<'KEY'\n\(TestAccounts.main.privateKeyPEM)KEY",
            ])
        let pem = try String(contentsOfFile: "\(directory.path)/rsa.pem", encoding: .utf8)
        #expect(converted.status == 0 && pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"), "\(converted.stderr)")
        let signature = try RSASigningKey(pem: pem).sign([1, 2, 3])
        #expect(signature == (try RSASigningKey(pem: TestAccounts.main.privateKeyPEM).sign([1, 2, 3])))
    }

    @Test func whatIsNotAnRSAKeyIsRefused() throws {
        #expect(failure { _ = try RSASigningKey(pem: "not a key at all") }.hasPrefix("it is not a PEM private key"))
        #expect(
            failure { _ = try RSASigningKey(pem: TestAccounts.main.publicKeyPEM) }.hasPrefix(
                "it is not a PEM private key"))
        let directory = try TemporaryDirectory("ec")
        let made = try run(
            "/usr/bin/env",
            [
                "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                "\(directory.path)/ec.pem",
            ])
        #expect(made.status == 0)
        let ec = try String(contentsOfFile: "\(directory.path)/ec.pem", encoding: .utf8)
        #expect(failure { _ = try RSASigningKey(pem: ec) } == "it is not an RSA key (Google service accounts use RSA)")
    }

    @Test func anEncryptedKeyIsRefusedWithoutAskingForAPassphrase() throws {
        let directory = try TemporaryDirectory("encrypted")
        try TestAccounts.main.privateKeyPEM.write(
            toFile: "\(directory.path)/plain.pem", atomically: true, encoding: .utf8)
        let encrypted = try run(
            "/usr/bin/env",
            [
                "openssl", "pkey", "-in", "\(directory.path)/plain.pem", "-aes256", "-passout", "pass:secret", "-out",
                "\(directory.path)/encrypted.pem",
            ])
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        let pem = try String(contentsOfFile: "\(directory.path)/encrypted.pem", encoding: .utf8)
        #expect(pem.contains("ENCRYPTED PRIVATE KEY"))
        #expect(failure { _ = try RSASigningKey(pem: pem) }.hasPrefix("it is not a PEM private key"))
    }
}
