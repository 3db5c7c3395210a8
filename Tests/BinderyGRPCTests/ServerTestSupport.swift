import BinderySystem
import DriverTesting
import Foundation
import Glibc

@testable import BinderyGRPC

/// Runs `body` with a started server (two loops, loopback, ephemeral port), then shuts it down.
func withGRPCServer<R>(
    _ configure: (inout GRPCServerConfiguration) -> Void = { _ in },
    handler: @escaping @Sendable (GRPCRequest, GRPCResponder) -> Void = echoHandler,
    _ body: (GRPCServer, String) throws -> R
) throws -> R {
    var configuration = GRPCServerConfiguration(threads: 2)
    configure(&configuration)
    let server = try GRPCServer(configuration, handler: handler)
    server.start()
    defer { server.shutdown() }
    let target = configuration.unixSocketPath.map { "unix:\($0)" } ?? "127.0.0.1:\(server.port)"
    return try body(server, target)
}

/// `/test.Echo/Echo` answers the request message with the request's metadata as initial
/// metadata and `x-trailer: done` trailing; `/test.Echo/Slow` answers the same from another
/// thread after 600 ms; `/test.Echo/Fail` fails with NOT_FOUND and a text needing
/// percent-encoding; `/test.Echo/Empty` answers an empty message, `/test.Echo/Double` the
/// request message twice over.
let echoHandler: @Sendable (GRPCRequest, GRPCResponder) -> Void = { request, responder in
    let reply = GRPCReply(
        message: request.message, headers: request.metadata, trailers: GRPCMetadata([("x-trailer", "done")]))
    switch request.method {
    case "Echo": responder.send(reply)
    case "Empty": responder.send(GRPCReply())
    case "Double": responder.send(GRPCReply(message: request.message + request.message))
    case "Slow":
        HostThread.start("slow-reply") {
            usleep(600_000)
            responder.send(reply)
        }
    case "Fail": responder.send(.failure(.notFound, "no such thing: 100% sûr\nline two"))
    default: responder.send(.failure(.unimplemented, "unknown method \(request.path)"))
    }
}

/// One call as the Python client saw it.
struct CallResult {
    let code: String
    let details: String
    let echoed: Bool
    let size: Int
    let seconds: Double
    let initial: [String: String]
    let trailing: [String: String]
}

/// Calls `path` on `target` with grpcio: `count` calls at once on one channel, messages of
/// `size` bytes, metadata `-bin` values in hex.
func grpcCalls(
    _ target: String, _ path: String, size: Int = 16, count: Int = 1, timeout: Double? = nil,
    metadata: [(String, String)] = [], extra: [String] = []
) throws -> [CallResult] {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/grpc_client.py"
    ).path
    var arguments = [script, target, path, "--size", String(size), "--count", String(count)]
    if let timeout { arguments += ["--timeout", String(timeout)] }
    for (key, value) in metadata { arguments += ["--metadata", "\(key)=\(value)"] }
    arguments += extra
    let finished = try run("python3", arguments)
    guard finished.status == 0 else {
        throw TestFailure("grpc_client.py failed (\(finished.status)): \(finished.stderr)")
    }
    return try finished.stdout.split(separator: "\n").map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("grpc_client.py printed \(line)")
        }
        func pairs(_ key: String) -> [String: String] {
            var out: [String: String] = [:]
            for pair in object[key] as? [[String]] ?? [] where pair.count == 2 { out[pair[0]] = pair[1] }
            return out
        }
        return CallResult(
            code: object["code"] as? String ?? "?", details: object["details"] as? String ?? "",
            echoed: object["echoed"] as? Bool ?? false, size: object["size"] as? Int ?? -1,
            seconds: object["seconds"] as? Double ?? -1, initial: pairs("initial"), trailing: pairs("trailing"))
    }
}

func grpcCall(
    _ target: String, _ path: String, size: Int = 16, timeout: Double? = nil, metadata: [(String, String)] = []
) throws -> CallResult {
    let results = try grpcCalls(target, path, size: size, timeout: timeout, metadata: metadata)
    guard let first = results.first else { throw TestFailure("grpc_client.py printed nothing") }
    return first
}

/// What nghttp (nghttp2's own client) received for one request, with `-v`: frames and header
/// fields as lines, e.g. `recv (stream_id=13) grpc-status: 3`.
func nghttpRequest(port: Int, path: String, body: [UInt8], headers: [String] = []) throws -> String {
    let folder = try temporaryDirectory("nghttp")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = "\(folder)/body"
    FileManager.default.createFile(atPath: file, contents: Data(body))
    var arguments = ["-v", "-n", "-t", "5", "-d", file]
    for header in headers { arguments += ["-H", header] }
    arguments.append("http://127.0.0.1:\(port)\(path)")
    let finished = try run("nghttp", arguments)
    return finished.stdout + finished.stderr
}

/// The value of header field `name` nghttp printed last as received (trailers come last).
func receivedField(_ name: String, in output: String) -> String? {
    var value: String?
    for line in output.split(separator: "\n") where line.contains("recv (stream_id=") {
        guard let range = line.range(of: ") \(name): ") else { continue }
        value = String(line[range.upperBound...])
    }
    return value
}
