import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// No log line, `/v1.0/metadata` answer or error answer of a real `bindery run` holds the value
/// of a sensitive field or of a secret resolved through `secretKeyRef`, even where the driver
/// quotes it (the http driver quotes a key that is neither PEM nor a path, and its url).
@Suite(.serialized) struct SecretRedactionTests {
    /// 1,800 characters of base64, like a private key pasted without its armour lines.
    static let pastedKey = randomText(
        1_800, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    static let vaultCert = "vault-cert-" + randomText(32, alphabet: "0123456789abcdef")
    static let vaultPath = "orders-" + randomText(24, alphabet: "abcdefghijklmnopqrstuvwxyz")

    static func randomText(_ count: Int, alphabet: String) -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { _ in characters.randomElement()! })
    }

    static func component(_ name: String, _ metadata: String, store: String? = nil) -> String {
        """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: \(name)
        spec:
          type: bindings.http
          version: v1
          metadata:
        \(metadata)
        """ + (store.map { "\nauth:\n  secretStore: \($0)\n" } ?? "\n")
    }

    /// Where a secret shows: the whole value or any 16 characters of it (of a random value).
    static func leaks(_ secret: String, in text: String) -> [String] {
        let characters = Array(secret)
        guard !secret.hasPrefix("http") else { return text.contains(secret) ? [secret] : [] }
        let pieces =
            [secret]
            + stride(from: 0, to: max(0, characters.count - 15), by: 1).map {
                String(characters[$0..<$0 + 16])
            }
        return pieces.filter { text.contains($0) }
    }

    @Test func sensitiveAndSecretValuesAppearInNoLogMetadataOrErrorAnswer() async throws {
        let components = try temporaryDirectory("secrets")
        let cert = "\(try temporaryDirectory("secrets-pem"))/client.crt"
        try "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".write(
            toFile: cert, atomically: true, encoding: .utf8)
        let closed = try freePort()
        let url = "http://127.0.0.1:\(closed)/\(Self.vaultPath)"
        let files = [
            "vault.yaml":
                "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: vault\nspec:\n  type: secretstores.local.env\n  version: v1\n",
            // A sensitive field the driver quotes whole in its init error.
            "leaky-key.yaml": Self.component(
                "leaky-key",
                "    - name: url\n      value: \"http://127.0.0.1:\(closed)/\"\n    - name: MTLSClientCert\n      value: \"\(cert)\"\n    - name: MTLSClientKey\n      value: \"\(Self.pastedKey)\""
            ),
            // A field that is not sensitive, but whose value came from a secret store.
            "vault-cert.yaml": Self.component(
                "vault-cert",
                "    - name: url\n      value: \"http://127.0.0.1:\(closed)/\"\n    - name: MTLSClientCert\n      secretKeyRef:\n        name: VAULT_CERT\n    - name: MTLSClientKey\n      value: \"\(cert)\"",
                store: "vault"),
            // A secret url the driver refuses at create, quoting it.
            "vault-scheme.yaml": Self.component(
                "vault-scheme", "    - name: url\n      secretKeyRef:\n        name: VAULT_FTP", store: "vault"),
            // A secret url, logged at debug and quoted in every failed request.
            "vault-url.yaml": Self.component(
                "vault-url", "    - name: url\n      secretKeyRef:\n        name: VAULT_URL", store: "vault"),
        ]
        for (file, text) in files { try text.write(toFile: "\(components)/\(file)", atomically: true, encoding: .utf8) }
        let bindery = try await BinderyProcess(
            ["--resources-path", components],
            environment: ["VAULT_CERT": Self.vaultCert, "VAULT_URL": url, "VAULT_FTP": "ftp://\(Self.vaultPath)"])
        defer { bindery.stop() }

        var answers: [String] = []
        for (operation, metadata) in [("post", [:]), ("get", ["path": "/x"]), ("delete", [:]), ("bogus", [:])] {
            let answer = try await bindery.invoke("vault-url", operation, metadata: metadata)
            #expect(answer.status == 500 || answer.status == 400)
            answers.append(answer.text + answer.headers.description)
        }
        let metadata = try await bindery.request("GET", "/v1.0/metadata")
        let states = (metadata.json?["components"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[$1["name"] as? String ?? ""] = $1["status"] as? String
        }
        #expect(
            states == ["leaky-key": "failed", "vault-cert": "failed", "vault-scheme": "failed", "vault-url": "ready"])
        bindery.stop()
        let log = bindery.log

        // The failures still say what failed and which field, with the value masked.
        #expect(metadata.text.contains("MTLSClientKey") && metadata.text.contains("***"))
        #expect(answers[0].contains("Post \\\"***\\\": "))
        #expect(log.contains("bindings.http ready for ***"))
        // The url's scheme and host are not secret alone: its random path stands for it.
        for secret in [Self.pastedKey, Self.vaultCert, url, Self.vaultPath] {
            #expect(Self.leaks(secret, in: log) == [], "log")
            #expect(Self.leaks(secret, in: metadata.text) == [], "/v1.0/metadata")
            for answer in answers { #expect(Self.leaks(secret, in: answer) == [], "invoke answer") }
        }
    }
}
