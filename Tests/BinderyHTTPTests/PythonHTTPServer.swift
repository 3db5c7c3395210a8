import DriverTesting
import Foundation
import Glibc

/// A small independent HTTP/1.1 server (Python's http.server) started on an ephemeral port,
/// to check the client against someone else's wire format.
final class PythonHTTPServer {
    let process = Process()
    let port: Int

    static let script = #"""
        import sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            served = 0

            def log_message(self, *args):
                pass

            def do_GET(self):
                self.served += 1
                if self.path == "/chunked":
                    self.send_response(200)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for part in [b"hello ", b"chunked ", b"world"]:
                        self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(part), part))
                    self.wfile.write(b"0\r\nX-Trailer: t\r\n\r\n")
                elif self.path == "/until-close":
                    self.send_response(200)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(b"body until close")
                    self.close_connection = True
                elif self.path == "/flaky" and self.served >= 2:
                    self.close_connection = True  # drop the second request on a connection unanswered
                else:
                    body = ("%s served=%d" % (self.path, self.served)).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                self.send_response(201)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Seen-Type", self.headers.get("Content-Type", ""))
                self.end_headers()
                self.wfile.write(body)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw Self.stopped(process, TestFailure("python3 http.server did not start")) }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw Self.stopped(process, TestFailure("python3 printed no port"))
        }
        self.port = port
    }

    /// `failure`, after killing `process`: an init that fails before `port` is set runs no deinit.
    private static func stopped(_ process: Process, _ failure: TestFailure) -> TestFailure {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return failure
    }

    deinit {
        // SIGKILL: the test runner's children inherit a signal mask in which SIGTERM is blocked.
        // Only while it runs: once reaped, its pid may belong to another test's process.
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
