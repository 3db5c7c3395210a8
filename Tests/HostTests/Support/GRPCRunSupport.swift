import DriverTesting
import Foundation
import HostTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What the gRPC end-to-end tests share: the recording HTTP target that a `bindings.http`
/// component named `target` posts to, and Python (grpcio, Dapr's SDK) run against bindery.
enum GRPCRunSupport {
    static let apps = "\(Paths.fixtures)/apps"

    /// The recording HTTP target (Fixtures/apps/record_target.py).
    static func startTarget() async throws -> ServerProcess {
        let script = "\(apps)/record_target.py"
        return try await ServerProcess.started {
            try ServerProcess(name: "record-target", program: "/usr/bin/env") { port, _ in
                ["python3", script, String(port)]
            }
        }
    }

    /// What the target received: one record per request (method, path, headers, body in hex).
    static func received(_ target: ServerProcess) async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://\(target.address)/_received")!)
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    /// A resources folder with the `target` component.
    static func components(target: ServerProcess) throws -> String {
        let directory = try temporaryDirectory("grpc-components")
        try writeComponent(
            directory, name: "target", type: "bindings.http", metadata: [("url", "http://\(target.address)")])
        return directory
    }

    /// Runs a Python snippet with `GRPC_PORT` set to bindery's gRPC port; its trimmed output.
    static func python(_ code: String, _ bindery: BinderyProcess) throws -> String {
        let result = try run(
            "/usr/bin/env", ["python3", "-c", code], environment: ["GRPC_PORT": String(bindery.grpcPort)])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Bytes from lower-case hex.
func hexBytes(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
        bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}
