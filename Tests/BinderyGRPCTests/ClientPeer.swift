import BinderyGRPC
import DriverTesting
import Foundation
import Testing

/// The real gRPC server GRPCClient's tests call: Fixtures/client_test_server.py (Python grpcio)
/// on a free loopback port or a Unix socket in its scratch directory.
struct ClientPeer {
    static let script: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.path + "/Fixtures/client_test_server.py"
    }()

    enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case tcp, unix
        var testDescription: String { rawValue }
    }

    let server: ServerProcess
    let target: GRPCTarget

    /// A started server; `maxConcurrentStreams` limits the streams per connection.
    static func start(_ transport: Transport = .tcp, maxConcurrentStreams: Int? = nil) async throws -> ClientPeer {
        let extra = maxConcurrentStreams.map { [String($0)] } ?? []
        let server = try await ServerProcess.started {
            try ServerProcess(
                name: "grpc-peer", program: "/usr/bin/env",
                arguments: { port, directory in
                    ["python3", script, transport == .tcp ? String(port) : "unix:\(directory)/peer.sock"] + extra
                },
                isReady: { server in
                    transport == .tcp
                        ? isListening(port: server.port)
                        : FileManager.default.fileExists(atPath: "\(server.directory)/peer.sock")
                })
        }
        let target: GRPCTarget =
            transport == .tcp
            ? .tcp(host: "127.0.0.1", port: server.port) : .unix(path: "\(server.directory)/peer.sock")
        return ClientPeer(server: server, target: target)
    }
}

extension GRPCClient {
    /// Calls `/test.Peer/<method>` with `text` as the message.
    func call(
        method: String, _ text: String, metadata: GRPCMetadata = GRPCMetadata(), timeout: Duration? = nil
    ) -> GRPCClientResult {
        call("/test.Peer/\(method)", metadata: metadata, message: Array(text.utf8), timeout: timeout)
    }
}

extension GRPCClientResult {
    var text: String? { message.map { String(decoding: $0, as: UTF8.self) } }
}
