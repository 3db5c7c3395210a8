import Foundation
import Glibc
import Testing

@testable import BinderyHTTP

/// A client that sends part of a request and its FIN in one segment: the server must see the
/// end of file in the same readiness event (EPOLLET reports it once) and close at once, not
/// hold the socket in CLOSE-WAIT until the 30 s request timeout.
@Suite struct HTTPServerHalfCloseTests {
    /// TCP_CORK holds the bytes back until shutdown(SHUT_WR), which sends them with the FIN.
    private func sendPartialThenFIN(_ client: WireClient, _ text: String) throws {
        var one: Int32 = 1
        setsockopt(client.fd, Int32(IPPROTO_TCP), TCP_CORK, &one, socklen_t(MemoryLayout<Int32>.size))
        try client.send(text)
        shutdown(client.fd, Int32(SHUT_WR))
    }

    @Test func partialRequestWithFINIsClosedPromptly() throws {
        try withServer({ $0.requestTimeout = .seconds(30) }) { server in
            var clients: [WireClient] = []
            for index in 0..<100 {
                let client = try WireClient(port: server.port, receiveTimeout: 2)
                let partial =
                    index % 2 == 0
                    ? "GET /x HTTP/1.1\r\nHost: x\r\n" : "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nab"
                try sendPartialThenFIN(client, partial)
                clients.append(client)
            }
            // Hang guard, far below the 30 s request timeout the bug waited for.
            let closed = eventually(timeout: 10) { closeWaitSockets(port: server.port) == 0 }
            #expect(closed, "\(closeWaitSockets(port: server.port)) of 100 sockets still in CLOSE-WAIT")
            guard closed else { return }
            for client in clients { #expect(try client.readToEnd().isEmpty) }
        }
    }
}

/// Sockets on local `port` in CLOSE-WAIT (state 08 in /proc/net/tcp and tcp6).
func closeWaitSockets(port: Int) -> Int {
    let hexPort = String(format: ":%04X", port)
    var count = 0
    for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3 else { continue }
            if fields[1].hasSuffix(hexPort), fields[3] == "08" { count += 1 }
        }
    }
    return count
}
