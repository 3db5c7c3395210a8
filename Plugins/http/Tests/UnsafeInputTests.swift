import CurlTransport
import DriverKit
import DriverTesting
import Testing

@testable import HTTPDriver

/// What a hostile target, or careless metadata, can make the driver send, keep or show (issue 9).
@Suite struct UnsafeInputTests {
    let server: EchoServer

    init() throws { server = try EchoServer.plain.get() }

    /// The DriverError `invoke` throws for a GET with request metadata `metadata`.
    private func failure(_ url: String, _ metadata: [String: String]) async throws -> DriverError {
        try await withDriver(["url": url]) { driver in
            do {
                _ = try await driver.invoke(InvokeRequest(operation: "get", metadata: metadata))
            } catch let error as DriverError {
                return error
            }
            throw TestFailure("GET \(metadata) succeeded")
        }
    }

    @Test func aResponseHeaderWithAControlCharacterFailsTheRequestAsInGo() async throws {
        let path = "/?header=X-A:a%0DInjected:%201"
        let error = try await failure(server.base, ["path": path])
        #expect(
            error.message
                == "Get \"\(server.base)\(path)\": net/http: HTTP/1.x transport connection broken: "
                + "malformed MIME header line: X-A: a\\rInjected: 1")
        for header in ["X-E:a%1Bb", "X-D:a%7Fb", "X(A):v"] {
            let refused = try await failure(server.base, ["path": "/?header=" + header])
            #expect(refused.message.contains("malformed MIME header line: "), "\(header): \(refused.message)")
            #expect(!refused.message.utf8.contains { $0 < 0x20 }, "the message quotes no raw control character")
        }
    }

    @Test func aHeaderNameWithASpaceIsKeptAsGoKeepsIt() async throws {
        try await withDriver(["url": server.base]) { driver in
            let response = try #require(
                try await driver.invoke(InvokeRequest(operation: "get", metadata: ["path": "/?header=Bad%20Name:v"])))
            #expect(response.metadata["Bad Name"] == "v", "bindery's server drops it when it writes the answer")
        }
    }

    @Test func aControlCharacterInThePathIsRefusedAsInGo() async throws {
        for (path, shown) in [("x\u{0}y", "x\\x00y"), ("a\rb", "a\\rb"), ("del\u{7F}", "del\\x7f")] {
            let error = try await failure(server.base, ["path": path])
            #expect(error.code == .invalidArgument)
            #expect(
                error.message == "parse \"\(server.base)/\(shown)\": net/url: invalid control character in URL")
        }
    }

    @Test func thePasswordInTheURLIsNeverShown() async throws {
        let port = try freePort()
        let url = "http://user:PASS@127.0.0.1:\(port)/hook"
        let error = try await failure(url, [:])
        #expect(error.message.hasPrefix("Get \"http://user:***@127.0.0.1:\(port)/hook\": "), "\(error.message)")
        let refused = try await failure(url, ["path": "a\u{0}"])
        #expect(
            refused.message == "parse \"http://user:***@127.0.0.1:\(port)/hook/a\\x00\": "
                + "net/url: invalid control character in URL")
    }

    @Test(arguments: [
        ("http://user:PASS@host/a\u{0}b", "http://user:***@host/a\\x00b"),
        ("ftp://user:PASS@host/", "ftp://user:***@host/"),
        ("http://user:PASS@host/\r\n", "http://user:***@host/\\r\\n"),
    ])
    func aBadURLIsRefusedWithoutItsPasswordOrRawControlCharacters(url: String, shown: String) {
        do {
            _ = try makeDriver(["url": url])
            Issue.record("\(url.debugDescription) was accepted")
        } catch let error as DriverError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("\"url\" is \"\(shown)\""), "\(error.message)")
            #expect(!error.message.contains("PASS"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func redactionHidesOnlyThePassword() {
        #expect(URLText.redacted("http://user:PASS@host:8080/p?q=a:b@c") == "http://user:***@host:8080/p?q=a:b@c")
        #expect(URLText.redacted("https://user@host/") == "https://user@host/")
        #expect(URLText.redacted("http://a:b:c@d@host/") == "http://a:***@host/")
        #expect(URLText.redacted("http://user:@host/") == "http://user:***@host/")
        #expect(URLText.redacted("http://host:8080/x@y") == "http://host:8080/x@y")
        #expect(URLText.redacted("user:PASS@host") == "user:***@host")
    }
}
