import DriverKit
import DriverTesting
import Foundation
import Testing

@testable import S3Driver

/// An https:// endpoint with a self-signed certificate: refused by default, accepted with
/// `insecureSSL` (a TLS-terminating proxy in front of moto, which has no TLS of its own here).
@Suite struct TLSTests {
    @Test func aSelfSignedEndpointNeedsInsecureSSL() async throws {
        let moto = try await SharedMoto.get()
        let bucket = bucketName("tls")
        try moto.createBucket(bucket)
        let proxy = try await ServerProcess.started {
            try ServerProcess(name: "tls-proxy", program: "/usr/bin/env") { port, directory in
                try shell(
                    "openssl req -x509 -newkey rsa:2048 -nodes -keyout \(directory)/key.pem -out \(directory)/cert.pem -days 1 -subj /CN=127.0.0.1 2>/dev/null"
                )
                try tlsProxyScript.write(toFile: "\(directory)/proxy.py", atomically: true, encoding: .utf8)
                return [
                    "python3", "\(directory)/proxy.py", String(port), String(moto.port), directory, String(getpid()),
                ]
            }
        }
        let endpoint = "https://127.0.0.1:\(proxy.port)"

        let strict = try await startedDriver(moto, bucket: bucket, ["endpoint": endpoint])
        defer { Task { await strict.stop() } }
        let refused = try #require(await strict.failure("create", "\"x\"", ["key": "k"]))
        #expect(refused.contains("request send failed"), "\(refused)")
        #expect(refused.lowercased().contains("certificate"), "\(refused)")

        let lenient = try await startedDriver(moto, bucket: bucket, ["endpoint": endpoint, "insecureSSL": "true"])
        defer { Task { await lenient.stop() } }
        _ = try await lenient.call("create", "\"over tls\"", ["key": "k"])
        #expect(try await lenient.call("get", "", ["key": "k"])?.text == "over tls")
        #expect(try moto.objectBytes(bucket, "k") == Array("over tls".utf8))
    }
}

/// Accepts TLS on a port and forwards the bytes to moto; exits when the test process does.
let tlsProxyScript = #"""
    import asyncio, os, ssl, sys
    port, target, directory, parent = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem"))

    async def pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except Exception:
            pass
        finally:
            writer.close()

    async def handle(reader, writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target)
        except Exception:
            writer.close()
            return
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    async def watch():
        while os.getppid() == parent:
            await asyncio.sleep(0.5)
        os._exit(0)

    async def main():
        server = await asyncio.start_server(handle, "127.0.0.1", port, ssl=context)
        async with server:
            await asyncio.gather(server.serve_forever(), watch())

    asyncio.run(main())
    """#
