import DriverTesting
import Foundation
import Testing

@testable import BinderyHTTP

@Suite struct HTTPServerUnixSocketTests {
    @Test func aServerOnAUnixSocketAnswersAndRemovesItsSocketAtShutdown() throws {
        let folder = try temporaryDirectory("http-unix")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/dapr-http.socket"
        try withServer({ $0.unixSocketPath = path }) { server in
            #expect(server.port == 0)
            let result = try run("curl", ["-sS", "--unix-socket", path, "-d", "hi", "http://localhost/v1.0/x"])
            #expect(result.status == 0)
            #expect(result.stdout == "POST /v1.0/x hi")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
