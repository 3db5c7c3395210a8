import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// bindings.http through bindery's HTTP API against a target that answers invalid header
/// lines, read off bindery's socket byte for byte (issue 9, items 2 and 3).
@Suite(.serialized) struct HTTPTargetRunTests {
    /// The raw answer to `POST /v1.0/bindings/{name}` on a connection bindery closes after it.
    private func rawInvoke(_ bindery: BinderyProcess, _ name: String, path: String) throws -> String {
        let body = "{\"operation\":\"get\",\"metadata\":{\"path\":\"\(path)\"}}"
        let request = Array(
            ("POST /v1.0/bindings/\(name) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)").utf8)
        let answer: [UInt8]? = withLoopbackSocket(bindery.port) { fd, address, length in
            var timeout = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard connect(fd, address, length) == 0, send(fd, request, request.count, 0) == request.count else {
                return nil
            }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while case let count = recv(fd, &chunk, chunk.count, 0), count > 0 { bytes += chunk[..<count] }
            return bytes
        }
        return String(decoding: try #require(answer), as: UTF8.self)
    }

    /// The header lines of a raw answer (status line excluded), split at CRLF only.
    private func headerLines(_ answer: String) -> [String] {
        let head = answer.components(separatedBy: "\r\n\r\n").first ?? ""
        return Array(head.components(separatedBy: "\r\n").dropFirst())
    }

    @Test func invalidHeaderLinesFromTheTargetNeverReachTheApp() async throws {
        let script = "\(Paths.fixtures)/apps/hostile_target.py"
        let target = try await ServerProcess.started {
            try ServerProcess(name: "hostile-target", program: "/usr/bin/python3") { port, _ in [script, String(port)] }
        }
        defer { target.stop() }
        let components = try temporaryDirectory("hostile")
        try writeComponent(
            components, name: "target", type: "bindings.http", metadata: [("url", "http://\(target.address)")])
        let bindery = try await BinderyProcess(["--resources-path", components])
        defer { bindery.stop() }

        for path in ["/inject", "/names", "/status"] {
            let answer = try rawInvoke(bindery, "target", path: path)
            let lines = headerLines(answer)
            #expect(!lines.isEmpty, "\(path): \(answer.debugDescription)")
            #expect(!lines.contains { $0.hasPrefix("Injected") }, "\(path): \(answer.debugDescription)")
            for line in lines {
                let valid = line.firstIndex(of: ":").map { colon in
                    !line[..<colon].contains(" ") && !line.utf8.contains { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }
                }
                #expect(valid == true, "\(path): invalid header line \(line.debugDescription)")
            }
            switch path {
            case "/inject":
                #expect(answer.hasPrefix("HTTP/1.1 500 "))
                #expect(answer.contains("malformed MIME header line: X-A: a\\\\rInjected: 1"), "\(answer)")
            default:
                #expect(answer.hasPrefix("HTTP/1.1 200 "))
                #expect(lines.contains("metadata.X-Ok: fine"))
            }
        }
        #expect(bindery.log.contains("WARN [http] response header \"metadata.Bad Name\" dropped"), "\(bindery.log)")
    }

    @Test func thePasswordInTheURLIsInNoAnswerAndNoLogLine() async throws {
        let closed = try freePort()
        let components = try temporaryDirectory("password")
        try writeComponent(
            components, name: "secret", type: "bindings.http",
            metadata: [("url", "http://user:PASS@127.0.0.1:\(closed)/hook")])
        let bindery = try await BinderyProcess(["--resources-path", components])
        defer { bindery.stop() }
        let failed = try await bindery.invoke("secret", "post", data: "1")
        #expect(failed.status == 500)
        let message = try #require(failed.json?["message"] as? String)
        #expect(
            message.hasPrefix(
                "error invoking output binding secret: Post \"http://user:***@127.0.0.1:\(closed)/hook\": "))
        let nul = try await bindery.invoke("secret", "get", metadata: ["path": "x\u{0}y"])
        #expect(nul.status == 500)
        #expect(
            nul.json?["message"] as? String
                == "error invoking output binding secret: parse \"http://user:***@127.0.0.1:\(closed)/hook/x\\x00y\": "
                + "net/url: invalid control character in URL")
        let metadata = try await bindery.request("GET", "/v1.0/metadata")
        bindery.stop()
        for (place, text) in [
            ("answer", failed.text), ("NUL answer", nul.text), ("metadata", metadata.text), ("log", bindery.log),
        ] {
            #expect(!text.contains("PASS"), "the \(place) shows the password: \(text)")
        }
        #expect(bindery.log.contains("user:***@"), "the debug log names the URL, redacted")
    }
}
