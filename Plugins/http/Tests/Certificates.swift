import DriverTesting

/// A self-signed server certificate for 127.0.0.1 and a self-signed client certificate, made
/// with the openssl CLI into a temporary directory once per test process.
struct Certificates: Sendable {
    var serverCert: String
    var serverKey: String
    var clientCert: String
    var clientKey: String

    static let shared = Result { try Certificates() }

    private init() throws {
        let directory = try temporaryDirectory("http-certificates")
        serverCert = directory + "/server.pem"
        serverKey = directory + "/server.key"
        clientCert = directory + "/client.pem"
        clientKey = directory + "/client.key"
        try Certificates.make(
            cert: serverCert, key: serverKey, name: "127.0.0.1",
            extensions: ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        try Certificates.make(cert: clientCert, key: clientKey, name: "bindery-test-client", extensions: [])
    }

    private static func make(cert: String, key: String, name: String, extensions: [String]) throws {
        let openssl = try run(
            "/usr/bin/env",
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=\(name)",
            ] + extensions)
        guard openssl.status == 0 else {
            throw TestFailure("openssl req failed for \(name) (is openssl installed?): \(openssl.stderr)")
        }
    }
}
