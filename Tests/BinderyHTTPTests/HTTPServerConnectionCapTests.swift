import BinderySystem
import Testing

@testable import BinderyHTTP

/// `maxConnections`: one connection past the cap is answered 503 and closed; closed connections
/// are counted out, so the cap never leaks.
@Suite struct HTTPServerConnectionCapTests {
    private func served(_ client: WireClient) throws -> Bool {
        try client.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
        return try client.readResponse().status == 200
    }

    @Test func connectionPastTheCapGets503AndClosedOnesMakeRoom() throws {
        try withServer({ $0.maxConnections = 5 }) { server in
            var held: [WireClient] = []
            for _ in 0..<5 {
                let client = try WireClient(port: server.port)
                #expect(try served(client))
                held.append(client)
            }
            let sixth = try WireClient(port: server.port)
            try sixth.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
            let refused = try sixth.readToEnd()
            #expect(refused.hasPrefix("HTTP/1.1 503 "), "\(refused)")
            #expect(refused.contains("connection limit (5 open connections)"), "\(refused)")
            #expect(refused.contains("Connection: close\r\n"))

            for _ in 0..<3 {
                held.removeLast()
                // The close reaches the server after the client's next connect at the earliest.
                #expect(eventually { (try? served(WireClient(port: server.port))) == true })
            }
            for client in held { #expect(try served(client)) }
        }
    }

    @Test func defaultCapLeavesDescriptorsForTheRest() {
        let cap = HTTPServerConfiguration.defaultMaxConnections
        #expect(cap >= 1 && cap <= 10_000)
        if let files = ConnectionGate.openFileLimit { #expect(cap <= files - 64 || cap == 1) }
    }
}
