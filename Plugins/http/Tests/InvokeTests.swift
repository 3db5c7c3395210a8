import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import HTTPDriver

/// Each operation against a real HTTP server on loopback.
@Suite struct InvokeTests {
    let server: EchoServer

    init() throws { server = try EchoServer.plain.get() }

    @Test(arguments: ["create", "get", "head", "post", "put", "patch", "delete", "options", "trace"])
    func everyOperationSendsItsMethod(operation: String) async throws {
        try await withDriver(["url": server.base]) { driver in
            let response = try #require(
                try await driver.invoke(
                    InvokeRequest(operation: operation, data: Array("\"hello\"".utf8))))
            let method = operation == "create" ? "POST" : operation.uppercased()
            #expect(response.metadata["statusCode"] == "200")
            if method == "HEAD" {
                #expect(response.data.isEmpty)
                return
            }
            let echo = try Echo(response.data)
            #expect(echo.method == method)
            let sendsBody = ["POST", "PUT", "PATCH"].contains(method)
            #expect(echo.body == (sendsBody ? "\"hello\"" : ""))
            #expect(echo.header("Content-Type") == (sendsBody ? ["application/json; charset=utf-8"] : []))
            #expect(echo.header("Accept") == ["application/json; charset=utf-8"])
            #expect(echo.header("Expect").isEmpty)
        }
    }

    @Test func pathIsJoinedToURLWithOneSlashAndKeepsItsQuery() async throws {
        try await withDriver(["url": server.base + "/api/"]) { driver in
            let response = try #require(
                try await driver.invoke(
                    InvokeRequest(operation: "get", metadata: ["path": "/things/1?x=1&y=2"])))
            #expect(try Echo(response.data).path == "/api/things/1?x=1&y=2")
        }
    }

    @Test func capitalisedKeysAreHeadersOthersAreNot() async throws {
        let driver = try await makeDriver([
            "url": server.base, "securityToken": "s3cret", "securityTokenHeader": "X-Api-Key",
        ]).started()
        let response = try #require(
            try await driver.invoke(
                InvokeRequest(
                    operation: "post", data: Array("{\"a\":1}".utf8),
                    metadata: [
                        "X-Request-Id": "42", "Content-Type": "text/plain", "Accept": "text/csv", "lower": "no",
                        "Empty": "",
                    ])))
        let echo = try Echo(response.data)
        #expect(echo.header("X-Request-Id") == ["42"])
        #expect(echo.header("Content-Type") == ["text/plain"])
        #expect(echo.header("Accept") == ["text/csv"])
        #expect(echo.header("lower").isEmpty)
        #expect(echo.header("Empty") == [""])
        #expect(echo.header("X-Api-Key") == ["s3cret"])
        #expect(echo.body == "{\"a\":1}")
        await driver.stop()
    }

    @Test func responseCarriesStatusAndHeadersAsMetadata() async throws {
        try await withDriver(["url": server.base]) { driver in
            let response = try #require(
                try await driver.invoke(
                    InvokeRequest(
                        operation: "get",
                        metadata: ["path": "/?status=201&reason=Made%20It&header=x-multi:a&header=X-Multi:b"])))
            #expect(response.metadata["statusCode"] == "201")
            #expect(response.metadata["status"] == "201 Made It")
            #expect(response.metadata["X-Multi"] == "a, b")
            #expect(response.metadata["Content-Type"] == "application/json")
            #expect(response.metadata["Content-Length"] == String(response.data.count))
        }
    }

    @Test func non2xxIsAnErrorWithTheSameMetadata() async throws {
        try await withDriver(["url": server.base]) { driver in
            let error = await driverError {
                _ = try await driver.invoke(
                    InvokeRequest(operation: "get", metadata: ["path": "/?status=404&header=X-Why:gone"]))
            }
            #expect(error?.message == "received status code 404")
            #expect(error?.metadata["statusCode"] == "404")
            #expect(error?.metadata["status"] == "404 Not Found")
            #expect(error?.metadata["X-Why"] == "gone")
        }
    }

    @Test func errorIfNot2XXFalseReturnsTheResponse() async throws {
        try await withDriver(["url": server.base, "errorIfNot2XX": "false"]) { driver in
            let response = try #require(
                try await driver.invoke(
                    InvokeRequest(operation: "post", metadata: ["path": "/?status=503"])))
            #expect(response.metadata["statusCode"] == "503")
            #expect(try Echo(response.data).method == "POST")
        }
    }

    @Test func requestOverridesErrorIfNot2XXBothWays() async throws {
        let lenient = try await makeDriver(["url": server.base, "errorIfNot2XX": "off"]).started()
        let strict = try await makeDriver(["url": server.base]).started()
        let error = await driverError {
            _ = try await lenient.invoke(
                InvokeRequest(operation: "get", metadata: ["path": "/?status=500", "errorIfNot2XX": "yes"]))
        }
        #expect(error?.message == "received status code 500")
        let response = try await strict.invoke(
            InvokeRequest(operation: "get", metadata: ["path": "/?status=500", "errorIfNot2XX": "false"]))
        #expect(response?.metadata["statusCode"] == "500")
        await lenient.stop()
        await strict.stop()
    }

    @Test func longBodiesAreTruncatedToMaxResponseBodySize() async throws {
        try await withDriver(["url": server.base, "maxResponseBodySize": "1Ki"]) { driver in
            let response = try await driver.invoke(
                InvokeRequest(operation: "get", metadata: ["path": "/?size=1000000"]))
            #expect(response?.data.count == 1024)
            #expect(response?.metadata["statusCode"] == "200")
            let exact = try await driver.invoke(InvokeRequest(operation: "get", metadata: ["path": "/?size=1024"]))
            #expect(exact?.data.count == 1024)
        }
    }

    @Test func zeroMaxResponseBodySizeIsUnlimited() async throws {
        try await withDriver(["url": server.base, "maxResponseBodySize": "0"]) { driver in
            let response = try await driver.invoke(
                InvokeRequest(operation: "get", metadata: ["path": "/?size=3000000"]))
            #expect(response?.data.count == 3_000_000)
        }
    }

    @Test func gzipIsDecodedLikeGo() async throws {
        try await withDriver(["url": server.base]) { driver in
            let response = try #require(
                try await driver.invoke(InvokeRequest(operation: "get", metadata: ["path": "/?gzip=1"])))
            #expect(try Echo(response.data).header("Accept-Encoding") == ["gzip"])
            #expect(response.metadata["Content-Encoding"] == nil)
            #expect(response.metadata["Content-Length"] == nil)
        }
    }

    @Test func connectionRefusedNamesTheURL() async throws {
        try await withDriver(["url": "http://127.0.0.1:1"]) { driver in
            let error = await driverError {
                _ = try await driver.invoke(InvokeRequest(operation: "post", metadata: ["path": "x"]))
            }
            #expect(error?.code == .unavailable)
            #expect(error?.isRetryable == true)
            #expect(error?.message.hasPrefix("Post \"http://127.0.0.1:1/x\": ") == true)
        }
    }

    @Test func responseTimeoutEndsASlowRequest() async throws {
        try await withDriver(["url": server.base, "responseTimeout": "300ms"]) { driver in
            // The server answers after 5 s; a timeout error (not a response) proves the limit.
            let error = await driverError {
                _ = try await driver.invoke(InvokeRequest(operation: "get", metadata: ["path": "/?sleep=5"]))
            }
            #expect(error?.code == .timeout)
            #expect(error?.message.contains(server.base) == true)
        }
    }

    @Test func hostDeadlineBoundsTheRequest() async throws {
        try await withDriver(["url": server.base]) { driver in
            let deadline = HTTPDriver.monotonicNanoseconds() + 300_000_000
            let error = await driverError {
                _ = try await driver.invoke(
                    InvokeRequest(operation: "get", metadata: ["path": "/?sleep=5"], deadline: deadline))
            }
            #expect(error?.code == .timeout)
        }
    }
}
