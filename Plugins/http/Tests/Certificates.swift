import Foundation

/// A self-signed server certificate for 127.0.0.1 and a self-signed client certificate, made
/// with the openssl CLI into a temporary directory once per test process.
struct Certificates: Sendable {
    var serverCert: String
    var serverKey: String
    var clientCert: String
    var clientKey: String

    static let shared = Result { try Certificates() }

    private init() throws {
        let directory = try Certificates.temporaryDirectory()
        serverCert = directory + "/server.pem"
        serverKey = directory + "/server.key"
        clientCert = directory + "/client.pem"
        clientKey = directory + "/client.key"
        try Certificates.make(cert: serverCert, key: serverKey, name: "127.0.0.1",
            extensions: ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        try Certificates.make(cert: clientCert, key: clientKey, name: "bindery-test-client", extensions: [])
    }

    private static func make(cert: String, key: String, name: String, extensions: [String]) throws {
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=\(name)",
        ] + extensions
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw TestError("openssl req failed for \(name): is openssl installed?") }
    }

    /// A new private directory under the system temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "bindery-http-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
