import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import PostgreSQLDriver

/// `timeout` bounds connecting, and `sslRootCert` is the CA libpq verifies the server against.
@Suite struct SecurityTests {
    @Test func timeoutBoundsConnectingToAServerThatNeverAnswers() async throws {
        let server = try await ServerProcess.postgreSQL()
        defer { server.stop(signal: SIGINT) }
        server.freeze(true)
        defer { server.freeze(false) }
        // The kernel completes the TCP handshake for a frozen server; the start-up gets no answer.
        let driver = try makeDriver(["connectionString": server.postgreSQLConnectionString(), "timeout": "1s"])
        let error = await driverError { try await driver.start() }
        #expect(error?.message.hasSuffix("timeout: no connection within 1s") == true, "\(String(describing: error))")
        await driver.stop()
    }

    /// A self-signed certificate for 127.0.0.1 in `directory`, readable by the server.
    private func certificate(_ directory: String, name: String) throws -> String {
        try shell(
            "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
                + " -keyout \(directory)/\(name).key -out \(directory)/\(name).crt 2>/dev/null"
                + " && chown postgres:postgres \(directory)/\(name).* && chmod 600 \(directory)/\(name).key")
        return "\(directory)/\(name).crt"
    }

    @Test func sslRootCertVerifiesTheServer() async throws {
        let directory = try temporaryDirectory("postgresql-tls")
        try shell("chmod 755 \(directory)")
        let cert = try certificate(directory, name: "server")
        let other = try certificate(directory, name: "other")
        let server = try await ServerProcess.postgreSQL(settings: [
            "ssl=on", "ssl_cert_file=\(cert)", "ssl_key_file=\(directory)/server.key",
        ])
        defer { server.stop(signal: SIGINT) }
        let connection = server.postgreSQLConnectionString() + " sslmode=verify-full"
        try await withDriver(["connectionString": connection, "sslRootCert": cert]) { driver async throws in
            #expect(try await driver.rows("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == "[[true]]")
        }
        let wrong = try makeDriver(["connectionString": connection, "sslRootCert": other])
        let error = await driverError { try await wrong.start() }
        #expect(error?.message.contains("certificate verify failed") == true, "\(String(describing: error))")
        await wrong.stop()
    }
}
