import Foundation

/// A service account for tests: an RSA key pair made by `openssl genpkey`, and the fields of
/// its key file.
public struct TestServiceAccount: Sendable {
    public let privateKeyPEM: String
    public let publicKeyPEM: String
    public let clientEmail: String
    public let privateKeyID: String

    /// A new key pair in `directory` (2048-bit RSA, as Google issues).
    public init(in directory: String, name: String = "bindery-test") throws {
        let key = "\(directory)/\(name).key"
        let generated = try run(
            "/usr/bin/env",
            ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key])
        guard generated.status == 0 else { throw TestFailure("openssl genpkey failed: \(generated.stderr)") }
        let exported = try run("/usr/bin/env", ["openssl", "pkey", "-in", key, "-pubout", "-out", "\(key).pub"])
        guard exported.status == 0 else { throw TestFailure("openssl pkey -pubout failed: \(exported.stderr)") }
        privateKeyPEM = try String(contentsOfFile: key, encoding: .utf8)
        publicKeyPEM = try String(contentsOfFile: "\(key).pub", encoding: .utf8)
        clientEmail = "\(name)@bindery-tests.iam.gserviceaccount.com"
        privateKeyID = "key-\(name)"
    }

    /// The JSON key file Google issues for the account, with `tokenURI`.
    public func keyFile(projectID: String, tokenURI: String) throws -> String {
        let fields: [String: String] = [
            "type": "service_account", "project_id": projectID, "private_key_id": privateKeyID,
            "private_key": privateKeyPEM, "client_email": clientEmail, "client_id": "1234567890",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": tokenURI,
        ]
        return String(
            decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// One token request the test token endpoint answered.
public struct TokenExchange: Decodable, Sendable {
    /// "ok", or why it was refused.
    public var outcome: String
    public var iss: String?
    public var scope: String?
    public var aud: String?
    public var kid: String?
    public var token: String?
}

extension ServerProcess {
    /// A started OAuth 2.0 token endpoint (Python's http.server) at `/token` on a free loopback
    /// port, as Google's: it takes the JWT-bearer grant, verifies the JWT's RS256 signature with
    /// `account`'s public key (Python's `cryptography`, installed with moto) and its claims
    /// (issuer, audience = this URL, key ID, an hour's lifetime, a scope), and answers
    /// `{"access_token": "token-N", "expires_in": expiresIn, "token_type": "Bearer"}`; a bad
    /// signature gets Google's `400 {"error": "invalid_grant", "error_description": "Invalid
    /// JWT Signature."}`. Each request is recorded (`tokenExchanges`).
    public static func googleTokenEndpoint(for account: TestServiceAccount, expiresIn: Int = 3600) async throws
        -> ServerProcess
    {
        try await started {
            try ServerProcess(name: "google-token", program: "/usr/bin/env") { port, directory in
                try tokenEndpointScript.write(
                    toFile: "\(directory)/token_endpoint.py", atomically: true, encoding: .utf8)
                try account.publicKeyPEM.write(toFile: "\(directory)/account.pub", atomically: true, encoding: .utf8)
                return [
                    "python3", "\(directory)/token_endpoint.py", String(port), directory, account.clientEmail,
                    account.privateKeyID, String(expiresIn), String(getpid()),
                ]
            }
        }
    }

    /// The endpoint's URL, as a key file's `token_uri`.
    public var tokenURI: String { "http://127.0.0.1:\(port)/token" }

    /// Every token request so far, oldest first.
    public func tokenExchanges() throws -> [TokenExchange] {
        guard let data = FileManager.default.contents(atPath: "\(directory)/exchanges.jsonl") else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONDecoder().decode(TokenExchange.self, from: Data($0))
        }
    }
}

private let tokenEndpointScript = #"""
    import base64, json, os, sys, threading, time, urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    port, directory, email, key_id, expires_in, parent = sys.argv[1:7]
    with open(os.path.join(directory, "account.pub"), "rb") as f:
        public_key = serialization.load_pem_public_key(f.read())
    lock = threading.Lock()
    issued = [0]

    def unpadded(text):
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    def record(entry):
        with lock, open(os.path.join(directory, "exchanges.jsonl"), "a") as f:
            f.write(json.dumps(entry) + "\n")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            if self.path != "/token" or form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
                record({"outcome": "unsupported grant"})
                return self.answer(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"})
            try:
                header, claims, signature = form["assertion"][0].split(".")
                head, body = json.loads(unpadded(header)), json.loads(unpadded(claims))
            except Exception as error:
                record({"outcome": "malformed: %s" % error})
                return self.answer(400, {"error": "invalid_grant", "error_description": "Invalid JWT."})
            entry = {"iss": body.get("iss"), "scope": body.get("scope"), "aud": body.get("aud"), "kid": head.get("kid")}
            try:
                public_key.verify(unpadded(signature), (header + "." + claims).encode(), padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                record(dict(entry, outcome="bad signature"))
                return self.answer(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
            now = time.time()
            problems = [name for name, ok in [
                ("alg", head.get("alg") == "RS256"), ("kid", head.get("kid") == key_id),
                ("iss", body.get("iss") == email), ("aud", body.get("aud") == "http://127.0.0.1:%s/token" % port),
                ("scope", bool(body.get("scope"))), ("exp", body.get("exp", 0) - body.get("iat", 0) == 3600),
                ("iat", abs(body.get("iat", 0) - now) < 120)] if not ok]
            if problems:
                record(dict(entry, outcome="bad claims: " + ",".join(problems)))
                return self.answer(400, {"error": "invalid_grant", "error_description": "Bad claims: " + ",".join(problems)})
            with lock:
                issued[0] += 1
                token = "token-%d" % issued[0]
            record(dict(entry, outcome="ok", token=token))
            self.answer(200, {"access_token": token, "expires_in": int(expires_in), "token_type": "Bearer"})

    server = ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    while os.getppid() == int(parent):
        time.sleep(0.5)
    """#
