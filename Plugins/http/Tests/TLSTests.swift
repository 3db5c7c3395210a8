import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import HTTPDriver

/// HTTPS with a self-signed certificate trusted through MTLSRootCA, and mutual TLS.
@Suite struct TLSTests {
    let certificates: Certificates

    init() throws { certificates = try Certificates.shared.get() }

    @Test func rootCAAsFilePathIsTrusted() async throws {
        let server = try EchoServer.tls.get()
        let driver = try await makeDriver(["url": server.base, "MTLSRootCA": certificates.serverCert]).started()
        let response = try #require(
            try await driver.invoke(InvokeRequest(operation: "get", metadata: ["path": "secure"])))
        #expect(try Echo(response.data).path == "/secure")
        await driver.stop()
    }

    @Test func rootCAAsPEMTextIsTrusted() async throws {
        let server = try EchoServer.tls.get()
        let pem = try String(contentsOfFile: certificates.serverCert, encoding: .utf8)
        let driver = try await makeDriver(["url": server.base, "mtlsrootca": pem]).started()
        let response = try await driver.invoke(InvokeRequest(operation: "post", data: Array("1".utf8)))
        #expect(response?.metadata["statusCode"] == "200")
        await driver.stop()
    }

    @Test func untrustedCertificateFailsNamingTheURL() async throws {
        let server = try EchoServer.tls.get()
        let driver = try await makeDriver(["url": server.base]).started()
        let error = await driverError { _ = try await driver.invoke(InvokeRequest(operation: "get")) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.hasPrefix("Get \"\(server.base)\": ") == true)
        await driver.stop()
    }

    @Test func clientCertificateIsPresentedForMutualTLS() async throws {
        let server = try EchoServer.mutualTLS.get()
        let driver = try await makeDriver([
            "url": server.base, "MTLSRootCA": certificates.serverCert,
            "MTLSClientCert": certificates.clientCert, "MTLSClientKey": certificates.clientKey,
        ]).started()
        let response = try #require(try await driver.invoke(InvokeRequest(operation: "get")))
        #expect(try Echo(response.data).clientCert)
        await driver.stop()

        let anonymous = try await makeDriver(["url": server.base, "MTLSRootCA": certificates.serverCert]).started()
        let error = await driverError { _ = try await anonymous.invoke(InvokeRequest(operation: "get")) }
        #expect(error?.code == .unavailable)
        await anonymous.stop()
    }

    @Test func unreadableRootCAFailsStart() async throws {
        let driver = try makeDriver(["url": "https://127.0.0.1:1", "MTLSRootCA": "/nonexistent/ca.pem"])
        let error = await driverError { try await driver.start() }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("\"MTLSRootCA\"") == true)
        #expect(error?.message.contains("/nonexistent/ca.pem") == true)
        await driver.stop()
    }
}
